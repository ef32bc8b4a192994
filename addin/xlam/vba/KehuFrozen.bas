Attribute VB_Name = "KehuFrozen"
' Optional frozen mode: run a PyInstaller-built kehu.exe instead of Python, for file-based commands.
'
' Toggle (empty = off, the default: buttons call Python through xlwings RunPython):
'   - set KEHU_FROZEN_EXE_DEFAULT below to the full path of kehu.exe, or
'   - add a line  "KEHU_FROZEN_EXE","C:\path\to\kehu.exe"  to %USERPROFILE%\.kehu\kehu.conf, or
'   - rename the add-in's "_kehu.conf" sheet to "kehu.conf" and fill in KEHU_FROZEN_EXE.
' File-based commands (KehuIsFileBased) save the workbook and run
'   kehu.exe ribbon <id> --book "<workbook path>" --out "<result path>"
' (new-template commands get --out only), then open the result file. xlwings' RunFrozenPython
' appends --wb=... --from_xl=1 --app=... --hwnd=... to every call. Windows only.
Option Explicit

Public Const KEHU_FROZEN_EXE_DEFAULT As String = ""

Public Function KehuFrozenExe() As String
    KehuFrozenExe = CStr(GetConfig("KEHU_FROZEN_EXE", KEHU_FROZEN_EXE_DEFAULT))
End Function

Public Function KehuIsFileBased(ByVal commandId As String) As Boolean
    Select Case commandId
        Case "kehu_clean", "kehu_dupes", "kehu_merge", "kehu_merge_reviewed", "kehu_segment", "kehu_survey", _
             "kehu_complaints", "kehu_report", "kehu_ids", "kehu_mask", "kehu_new_register", _
             "kehu_new_survey"
            KehuIsFileBased = True
        Case Else
            KehuIsFileBased = False
    End Select
End Function

Public Sub RunFrozenCommand(ByVal exePath As String, ByVal commandId As String)
    #If Mac Then
        KehuMessage "\u51BB\u7ED3\u7248 kehu.exe \u53EA\u80FD\u5728 Windows \u4E0A\u8FD0\u884C\u3002", _
            "The frozen kehu.exe runs on Windows only.", vbExclamation
    #Else
        Dim book As Workbook
        Dim outPath As String, arguments As String, stamp As String
        stamp = Format$(Now, "yyyymmdd") & "_" & Format$(Now, "hhnnss")
        If commandId = "kehu_new_register" Or commandId = "kehu_new_survey" Then
            outPath = CreateObject("WScript.Shell").SpecialFolders("MyDocuments") & "\" & _
                commandId & "_" & stamp & ".xlsx"
            arguments = "ribbon " & commandId & " --out " & Quoted(outPath)
        Else
            Set book = ActiveWorkbook
            If book Is Nothing Then Exit Sub
            If book.Path = "" Then
                KehuMessage "\u8BF7\u5148\u4FDD\u5B58\u5DE5\u4F5C\u7C3F\uFF0C\u518D\u8FD0\u884C\u6B64\u547D\u4EE4\u3002", _
                    "Please save the workbook first, then run this command.", vbExclamation
                Exit Sub
            End If
            If Not book.Saved Then book.Save
            outPath = book.Path & "\" & BaseName(book.Name) & "_" & commandId & "_" & stamp & ".xlsx"
            arguments = "ribbon " & commandId & " --book " & Quoted(book.FullName) & " --out " & Quoted(outPath)
        End If
        RunFrozenPython exePath, arguments
        If FileExists(outPath) Then
            Workbooks.Open outPath
        Else
            KehuMessage "\u6CA1\u6709\u751F\u6210\u7ED3\u679C\u6587\u4EF6\uFF1A", _
                "No result file was written: ", vbExclamation, outPath
        End If
    #End If
End Sub

Private Function Quoted(ByVal text As String) As String
    Quoted = """" & text & """"
End Function

Private Function BaseName(ByVal fileName As String) As String
    If InStrRev(fileName, ".") > 0 Then
        BaseName = Left$(fileName, InStrRev(fileName, ".") - 1)
    Else
        BaseName = fileName
    End If
End Function
