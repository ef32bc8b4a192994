Attribute VB_Name = "KehuText"
' Message text for the kehu add-in, Chinese first, English second.
' The VBA project's code page is 1252, which cannot hold Chinese characters, so Chinese text
' is written as \uXXXX escapes and Zh turns them into characters when the message is shown.
Option Explicit

Public Const KEHU_TITLE As String = "\u5BA2\u6237\u5DE5\u5177 kehu"

Public Function Zh(ByVal escaped As String) As String
    Dim position As Long
    Dim result As String
    position = 1
    Do While position <= Len(escaped)
        If Mid$(escaped, position, 6) Like "\u[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]" Then
            result = result & ChrW$(CLng("&H" & Mid$(escaped, position + 2, 4)))
            position = position + 6
        Else
            result = result & Mid$(escaped, position, 1)
            position = position + 1
        End If
    Loop
    Zh = result
End Function

' zhEscaped and english are message text; detail (a path, say) is shown as is, never decoded.
Public Sub KehuMessage(ByVal zhEscaped As String, ByVal english As String, _
                       Optional ByVal style As Long = vbInformation, Optional ByVal detail As String = "")
    MsgBox Zh(zhEscaped) & detail & vbNewLine & english & detail, style, Zh(KEHU_TITLE)
End Sub
