"""The documentation site without Quarto: build it offline, check it in headless Chromium, keep README.md in sync.

    python tools/docs.py build [--out _site]         # every notebook in nbs/ -> a static site in _site/
    python tools/docs.py check [--site _site]        # open every page in headless Chromium; links, images, JS errors
    python tools/docs.py readme [--check]            # README.md from nbs/index.ipynb, as nbdev_readme makes it
    python tools/docs.py sidebar [--check]           # nbs/sidebar.yml from the notebooks, as nbdev_sidebar makes it

The GitHub workflow deploys the real site with Quarto (`nbdev_docs`). This script is for the machines where
Quarto cannot be installed: it runs nbdev's own notebook processors (hidden cells, `show_doc` tables, exported
cells, the sidebar), then renders the processed notebooks with smalldocs, a pure-Python renderer that reads
Quarto's `_quarto.yml` and cell options and shows the outputs saved in the notebooks.
"""
import argparse, ast, json, os, re, shutil, subprocess, sys, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
KATEX_CDN = 'https://cdn.jsdelivr.net/npm/katex@'
KATEX_DIRS = [Path('/usr/share/javascript/katex')]  # Debian's libjs-katex


def say(*a): print(*a, flush=True)

# ---------------------------------------------------------------------------------------------------------------
# Processing: nbdev's processors, with one change -
# ---------------------------------------------------------------------------------------------------------------

def _docs_procs():
    "nbdev's docs processors, with `exec_show_docs` running only the imports of cells that mix imports and code."
    from nbdev.processors import FilterDefaults, exec_show_docs, _do_eval, _show_docs, _ast_contains

    class exec_show_docs_imports(exec_show_docs):
        """Like nbdev's `exec_show_docs`, but a cell that mixes imports with other code runs only its imports.

        nbdev runs such a cell whole (and warns) so that `show_doc` can resolve the names it imports; running the
        rest re-runs experiments (minutes) and replaces their saved outputs. The cells are listed in `mixed`."""
        mixed = []
        def __call__(self, cell):
            if not self.nb.has_docs_ or not hasattr(self, 'k') or not _do_eval(cell): return
            trees = cell.parsed_()
            shown = cell.directives_.keys() & {'export', 'exports', 'exporti', 'exec_doc'} or _show_docs(trees)
            if not shown and _ast_contains(trees, (ast.Expr, ast.Assign)):
                type(self).mixed.append((self.nb.path_.name if hasattr(self.nb, 'path_') else '?', cell.idx_))
                imps = [n for n in trees if isinstance(n, (ast.Import, ast.ImportFrom))]
                self.k.run(ast.unparse(ast.Module(imps, type_ignores=[])))
            else: self.k.cell(cell)
            if self.k.exc:
                raise Exception(f"error in cell {cell.idx_}:\n{cell.source}") from self.k.exc

    class Procs(FilterDefaults):
        def base_procs(self):
            return [exec_show_docs_imports if p is exec_show_docs else p for p in super().base_procs()]
    return Procs, exec_show_docs_imports


def notebooks():
    "The notebooks nbdev documents, in sidebar order (index first, then by number)."
    from nbdev.doclinks import nbglob
    from nbdev.quarto import _sort
    return [Path(d)/f for d, f in nbglob(NBS, func=lambda a, b: (a, b), file_re=r'\.ipynb$',
                                         skip_folder_re=r'(?:^[_.]|^www\$)').sorted(key=_sort)]


def sidebar_yml():
    "What `nbdev_sidebar` writes to nbs/sidebar.yml (it needs no Quarto)."
    from nbdev.quarto import nbdev_sidebar
    import contextlib, io
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf): nbdev_sidebar(path=str(NBS), printit=True, force=True)
    return buf.getvalue().rstrip('\n') + '\n'


def process(dest:Path):
    "Process every notebook in nbs/ into `dest` with nbdev's processors; copy the other files of nbs/."
    from execnb.nbio import read_nb, write_nb
    Procs, ex = _docs_procs()
    shutil.rmtree(dest, ignore_errors=True)
    for f in NBS.rglob('*'):
        rel = f.relative_to(NBS)
        if any(p.startswith(('.', '_proc', '_docs', '_site')) for p in rel.parts[:-1]) or not f.is_file(): continue
        if f.suffix != '.ipynb' or rel.name.startswith(('_', '.')):
            if not rel.name.startswith('.'): (dest/rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(f, dest/rel)
    (dest/'sidebar.yml').write_text(sidebar_yml())
    errors = []
    os.environ['IN_TEST'] = '1'   # as nbdev's serve_drv does
    for f in notebooks():
        t = time.time()
        nb = read_nb(f); nb.path_ = f
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings('ignore', message='Found cells containing imports')
                Procs()(nb)
        except Exception as e:
            errors.append(f"{f.relative_to(ROOT)}: {e}\n    caused by {e.__cause__!r}"); continue
        out = dest/f.relative_to(NBS); out.parent.mkdir(parents=True, exist_ok=True)
        write_nb(nb, out)
        say(f"  processed {f.relative_to(ROOT)} in {time.time() - t:.1f} s")
    if ex.mixed:
        say("note: cells that mix imports with other code (nbdev's docs build, on GitHub too, runs them whole and "
            "replaces their saved outputs; here only their imports run). Put their imports in a cell of their own:")
        for nb, i in ex.mixed: say(f"    {nb} cell {i}")
    if errors: raise SystemExit("processing failed:\n" + "\n".join(errors))


def vendor_katex(site:Path):
    "Serve KaTeX from the site itself (offline) when a copy is on this machine; otherwise leave the CDN links."
    src = next((d for d in KATEX_DIRS if (d/'katex.min.js').exists()), None)
    if src is None:
        say("note: no local KaTeX (Debian: apt-get install libjs-katex); maths will load KaTeX from its CDN")
        return False
    dst = site/'site_libs'/'katex'
    shutil.copytree(src, dst, dirs_exist_ok=True, symlinks=False)
    for f in ['katex', 'contrib/auto-render']:   # Debian ships some files unminified only
        if not (dst/f'{f}.min.js').exists(): shutil.copy2(dst/f'{f}.js', dst/f'{f}.min.js')
    pat = re.compile(re.escape(KATEX_CDN) + r'[^/]+/dist')
    for page in site.rglob('*.html'):
        html = page.read_text(encoding='utf-8')
        if KATEX_CDN not in html: continue
        up = os.path.relpath(dst, page.parent)
        page.write_text(pat.sub(up, html), encoding='utf-8')
    return True


def build(out:Path):
    "Process the notebooks and render them into `out`."
    t0 = time.time()
    proc = ROOT/'_proc'
    say(f"== processing notebooks into {proc.relative_to(ROOT)}/")
    process(proc)
    t1 = time.time()
    say(f"== rendering with smalldocs into {out}")
    from smalldocs.site import build as sd_build
    cfg = proc/'nbdev.yml'
    # smalldocs writes the project's output-dir (nbdev.yml: _docs); write where asked instead
    cfg.write_text(re.sub(r'output-dir:.*', f'output-dir: {out.resolve()}', cfg.read_text()))
    shutil.rmtree(out, ignore_errors=True)
    site = sd_build(str(proc), quiet=True)
    for w in site.warnings: say(f"warning: {w}")
    vendor_katex(out)
    say(f"built {len(list(out.rglob('*.html')))} pages in {time.time() - t0:.0f} s "
        f"(processing {t1 - t0:.0f} s, rendering {time.time() - t1:.0f} s): {out}/index.html")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    b = sub.add_parser('build', help='build the site into a folder'); b.add_argument('--out', default='_site')
    a = ap.parse_args(argv)
    os.chdir(ROOT)
    if a.cmd == 'build': build(Path(a.out))


if __name__ == '__main__': main()
