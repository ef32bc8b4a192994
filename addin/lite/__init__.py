"""kehu for xlwings Lite: main.py to paste into Lite, its requirements, and the kehu_lite wheel builder."""
