// Load the kehu_lite wheel into Pyodide under Node.js and check what can be checked on this machine.
//
//   npm install pyodide            (into any folder; run node from there so "pyodide" resolves)
//   python -m addin.lite.build_wheel /tmp/kehu-lite
//   python -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" \
//          /tmp/kehu-lite/kehu_lite-0.1.0-py3-none-any.whl /tmp/kehu-lite/unpacked
//   node pyodide_check.mjs /tmp/kehu-lite/unpacked /path/to/addin/lite/main.py
//
// Step 1 (works offline): copy the unpacked wheel into Pyodide's site-packages and byte-compile every module
// (udfs and the addin job layer) with Pyodide's own Python. Step 2 (needs the Pyodide CDN and PyPI): load
// numpy, pandas, scipy and micropip, install the pure-Python dependencies, stand in a pass-through `xlwings`,
// import main.py, call formulas.
import { loadPyodide } from "pyodide";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const [unpacked, mainPy] = process.argv.slice(2);
const py = await loadPyodide();
const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
function copy(src, dst) {
  py.FS.mkdirTree(dst);
  for (const name of readdirSync(src)) {
    const s = join(src, name), d = dst + "/" + name;
    if (statSync(s).isDirectory()) copy(s, d); else py.FS.writeFile(d, readFileSync(s));
  }
}
copy(unpacked, site);
console.log(py.runPython(`
import compileall, contextlib, io, pathlib, sys
with contextlib.redirect_stdout(io.StringIO()):
    ok = all([compileall.compile_dir(f"${site}/{p}", quiet=1) for p in ("udfs", "addin")])
n = {p: len(list(pathlib.Path("${site}", p).rglob("*.py"))) for p in ("udfs", "addin")}
f"step 1: Python {sys.version.split()[0]} ({sys.platform}): {n['udfs']} udfs and {n['addin']} addin modules "\\
f"byte-compiled, ok={bool(ok)}"
`));

try {
  await py.loadPackage(["numpy", "pandas", "scipy", "micropip"]);
  const micropip = py.pyimport("micropip");
  await micropip.install(["zhconv", "pypinyin", "phonenumbers", "email-validator", "chinese-calendar",
                          "xlsxwriter", "opencc-python-reimplemented"]);
  if (mainPy) py.FS.writeFile("/home/pyodide/main.py", readFileSync(mainPy));
  console.log(py.runPython(`
import sys, types
xw = types.ModuleType("xlwings")
xw.func = xw.script = lambda f=None, *a, **k: f if callable(f) else (lambda g: g)
xw.arg = xw.ret = lambda *a, **k: (lambda g: g)
xw.Book = object
sys.modules["xlwings"] = xw
sys.path.insert(0, "/home/pyodide")
import main
f"step 2: KEHU_MOBILE {main.KEHU_MOBILE([['+86 138 0013 8000']])}, KEHU_PROVINCE {main.KEHU_PROVINCE([['廣東']])}, "\\
f"KEHU_NPS {main.KEHU_NPS([[10], [9], [6]])}"
`));
} catch (e) {
  console.log("step 2 not run: " + String(e).split("\n").filter((l) => /fetch|Error|load/.test(l)).slice(-2).join(" | "));
  process.exitCode = 2;
}
