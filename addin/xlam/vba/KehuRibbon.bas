Attribute VB_Name = "KehuRibbon"
' The single callback of the kehu ribbon tab: every button hands its id to one Python dispatcher.
' customUI.xml names KehuRibbon.OnRibbon as the onAction of every button; addin.ribbon.dispatch
' maps the id (kehu_clean, kehu_dupes, ...) to its handler.
Option Explicit

Public Sub OnRibbon(control As IRibbonControl)
    KehuRun control.Id
End Sub

' customUI's onLoad: Excel calls it once when it loads the add-in. It registers the KEHU_ formulas'
' Insert Function help (KehuFunctions, generated at build time), as xlwings' Import Functions would.
Public Sub OnRibbonLoad(ribbon As IRibbonUI)
    KehuRegisterFunctions
End Sub

' Also callable from another macro or the Immediate window, e.g. KehuRun "kehu_clean".
Public Sub KehuRun(ByVal commandId As String)
    Dim frozenExe As String
    ' Ids are pasted into a Python statement below: accept only the shape the ribbon uses.
    If Not (commandId Like "kehu_*") Or InStr(commandId, "'") > 0 Or InStr(commandId, """") > 0 Then
        Exit Sub
    End If
    frozenExe = KehuFrozenExe()
    If frozenExe = "" Then
        RunPython "import addin.ribbon; addin.ribbon.dispatch('" & commandId & "')"
    ElseIf commandId = "kehu_help" Then
        ' Help needs no Python: answer it here so the frozen set-up has a working help button.
        KehuMessage "\u5BA2\u6237\u5DE5\u5177 kehu\uFF1A\u6E05\u6D17\u3001\u53BB\u91CD\u3001" & _
            "\u7EC6\u5206\u5BA2\u6237\u6863\u6848\uFF0C\u5206\u6790\u6EE1\u610F\u5EA6\u8C03\u67E5\u3002" & _
            "\u6BCF\u4E2A\u6309\u94AE\u4F5C\u7528\u4E8E\u5F53\u524D\u5DE5\u4F5C\u7C3F\uFF0C" & _
            "\u7ED3\u679C\u53E6\u5B58\u4E3A\u65B0\u6587\u4EF6\u5E76\u6253\u5F00\u3002", _
            "kehu cleans, de-duplicates and segments customer registers and analyses satisfaction surveys. " & _
            "In frozen mode each button saves the workbook, writes the result to a new file and opens it."
    ElseIf KehuIsFileBased(commandId) Then
        RunFrozenCommand frozenExe, commandId
    Else
        KehuMessage "\u6B64\u547D\u4EE4\u9700\u8981\u5B89\u88C5 Python \u7248 kehu" & _
            "\uFF08xlwings RunPython\uFF09\u3002", _
            "This command needs the Python install of kehu (xlwings RunPython).", vbExclamation
    End If
End Sub
