"""The documentation site without Quarto: build it offline, check it in headless Chromium, keep README.md in sync.

    python tools/docs.py build [--out _site]         # every notebook in nbs/ -> a static site in _site/
    python tools/docs.py build --exact               # the same, with nbdev_docs's processing unchanged (slow)
    python tools/docs.py check [--site _site]        # open every page in headless Chromium; links, images, JS errors
    python tools/docs.py readme [--check]            # README.md from nbs/index.ipynb, as nbdev_readme makes it
    python tools/docs.py sidebar [--check]           # nbs/sidebar.yml from the notebooks, as nbdev_sidebar makes it
    python tools/docs.py commands                    # the README's two commands, one a line, as written there

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


def process(dest:Path, exact=False):
    "Process every notebook in nbs/ into `dest` with nbdev's processors; copy the other files of nbs/."
    from execnb.nbio import read_nb, write_nb
    Procs, ex = _docs_procs()
    if exact:   # exactly what nbdev_docs runs, mixed cells whole (slow, and it fails where the GitHub deploy would)
        from nbdev.processors import FilterDefaults as Procs
    shutil.rmtree(dest, ignore_errors=True)
    for f in NBS.rglob('*'):
        rel = f.relative_to(NBS)
        if any(p.startswith(('.', '_proc', '_docs', '_site')) for p in rel.parts[:-1]) or not f.is_file(): continue
        if f.suffix != '.ipynb' or rel.name.startswith(('_', '.')):
            if not rel.name.startswith('.'): (dest/rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(f, dest/rel)
    errors, names = [], {}
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
        # Quarto names the page after the front matter's output-file (00_data.ipynb -> data.html); smalldocs after
        # the file, so the processed notebook takes the page's name
        rel, fm = f.relative_to(NBS), nb.cells[0]
        m = re.search(r'^output-file: *(\S+)\n', fm.source, re.M) if fm.cell_type == 'raw' else None
        if m: fm.source = fm.source.replace(m.group(0), ''); names[str(rel)] = str(rel.with_name(Path(m.group(1)).stem + '.ipynb'))
        out = dest/names.get(str(rel), rel); out.parent.mkdir(parents=True, exist_ok=True)
        write_nb(nb, out)
        say(f"  processed {rel} in {time.time() - t:.1f} s")
    side = sidebar_yml()
    for a, b in names.items(): side = re.sub(rf'(^\s*-\s*|: *){re.escape(a)}$', rf'\g<1>{b}', side, flags=re.M)
    (dest/'sidebar.yml').write_text(side)
    if ex.mixed:
        say("note: cells that mix imports with other code (nbdev's docs build, on GitHub too, runs them whole and "
            "replaces their saved outputs; here only their imports run). Put their imports in a cell of their own:")
        for nb, i in ex.mixed: say(f"    {nb} cell {i}")
    if errors: raise SystemExit("processing failed:\n" + "\n".join(errors))


def relative_links(site:Path):
    "Point the absolute links that nbdev writes to the published site (`show_doc`, backticked names) into this build."
    from nbdev.config import get_config
    cfg = get_config()
    url = (cfg.doc_host + cfg.doc_baseurl).rstrip('/') + '/'
    pat = re.compile(r'(href|src)="' + re.escape(url) + r'([^"#]*)')
    for page in site.rglob('*.html'):
        html = page.read_text(encoding='utf-8')
        up = os.path.relpath(site, page.parent)
        new = pat.sub(lambda m: f'{m.group(1)}="' + ('' if up == '.' else up + '/') + (m.group(2) or 'index.html'), html)
        if new != html: page.write_text(new, encoding='utf-8')


def api_report(proc:Path):
    "For each module a notebook exports: public names without a `show_doc` on its page, and parameters without docments."
    import importlib, inspect
    from fastcore.docments import docments
    from nbdev.config import get_config
    from nbdev.doclinks import _nbpath2html
    lib, notes = get_config().lib_name, []
    code = lambda p: '\n'.join(''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'code')
    for nb in notebooks():
        m = re.search(r'^#\|\s*default_exp\s+(\S+)', code(nb), re.M)
        page = _nbpath2html(nb.relative_to(NBS))
        done = proc/page.with_suffix('.ipynb')
        if not m or not done.exists(): continue
        mod = importlib.import_module(f"{lib}.{m.group(1)}")
        shown = set(re.findall(r'show_doc\(\s*([\w.]+)', code(done)))
        for name in getattr(mod, '__all__', []):
            o = getattr(mod, name, None)
            if not callable(o): continue
            if name not in shown: notes.append(f"{page}: {name} has no show_doc")
            try:
                sig = inspect.signature(o)
                # args_kwargs: also read the comment of a *args or **kwargs line
                d = docments(o, args_kwargs=True) if inspect.isclass(o) else docments(o, full=False, args_kwargs=True)
            except (TypeError, ValueError, OSError): continue
            miss = [p for p in sig.parameters if p not in ('self', 'cls') and not d.get(p)]
            if miss: notes.append(f"{page}: {name}: no docments for {', '.join(miss)}")
    return notes


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


def build(out:Path, exact=False):
    "Process the notebooks and render them into `out`."
    t0 = time.time()
    proc = ROOT/'_proc'
    say(f"== processing notebooks into {proc.relative_to(ROOT)}/")
    process(proc, exact)
    t1 = time.time()
    say(f"== rendering with smalldocs into {out}")
    try: from smalldocs.site import build as sd_build
    except ImportError: raise SystemExit('smalldocs is missing (Python 3.11 or later): pip install -e ".[dev,docs]"')
    cfg = proc/'nbdev.yml'
    # smalldocs writes the project's output-dir (nbdev.yml: _docs); write where asked instead
    cfg.write_text(re.sub(r'output-dir:.*', f'output-dir: {out.resolve()}', cfg.read_text()))
    shutil.rmtree(out, ignore_errors=True)
    site = sd_build(str(proc), quiet=True)
    # Quarto-only options that do not change the HTML pages (the commonmark format is Quarto's .md copy of each page)
    quiet = ('format commonmark is not built', 'format.html.keep-md is ignored')
    for w in site.warnings:
        if not w.startswith(quiet): say(f"warning: {w}")
    relative_links(out)
    vendor_katex(out)
    notes = api_report(proc)
    if notes:
        say(f"API docs: {len(notes)} public names without a show_doc or with undocumented parameters (docments):")
        for n in notes: say('    ' + n)
    say(f"built {len(list(out.rglob('*.html')))} pages in {time.time() - t0:.0f} s "
        f"(processing {t1 - t0:.0f} s, rendering {time.time() - t1:.0f} s): {out}/index.html")


# ---------------------------------------------------------------------------------------------------------------
# README.md from nbs/index.ipynb -
# ---------------------------------------------------------------------------------------------------------------

def _opts(src):
    "A code cell's `#| key: value` options, and its source without them (as Quarto shows it)."
    opts, lines = {}, src.splitlines()
    while lines and lines[0].startswith('#|'):
        k, _, v = lines.pop(0)[2:].partition(':'); opts[k.strip()] = v.strip().lower()
    return opts, '\n'.join(lines).strip('\n')


def readme_md(nb_path:Path=None, assets:Path=None):
    """GitHub-flavoured Markdown for `nb_path` (settings.ini's readme_nb), as `nbdev_readme` writes it: nbdev's
    processors (hidden cells removed, front matter read), then the title, the summary, and every cell, code with
    its saved text outputs. Images are written to `assets` (`index_files/`, as Quarto does)."""
    import base64, yaml
    from execnb.nbio import read_nb
    from nbdev.config import get_config
    nb_path = nb_path or NBS/get_config().readme_nb
    Procs, _ = _docs_procs()
    nb = read_nb(nb_path)
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Found cells containing imports')
        Procs()(nb)
    fm, out, n_img = getattr(nb, 'frontmatter_', {}) or {}, [], 0
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.startswith('---'):
            fm = fm | (yaml.safe_load(c.source.strip().strip('-')) or {}); continue
    if fm.get('title'): out.append(f"# {fm['title']}")
    if fm.get('description'): out.append(f"> {fm['description']}")
    for i, c in enumerate(nb.cells):
        if c.cell_type == 'markdown' and c.source.strip(): out.append(c.source.strip())
        if c.cell_type != 'code': continue
        opts, src = _opts(c.source)
        if opts.get('include') == 'false': continue
        if src and opts.get('echo') != 'false': out.append(f"```python\n{src}\n```")
        if opts.get('output') == 'false': continue
        for o in c.get('outputs', []):
            d = o.get('data', {})
            if o.get('output_type') == 'stream' and o.get('name') == 'stdout': txt = ''.join(o['text'])
            elif 'image/png' in d:
                n_img += 1
                name = f"cell-{i}-output-{n_img}.png"
                if assets: (assets/'figure-commonmark').mkdir(parents=True, exist_ok=True); \
                    (assets/'figure-commonmark'/name).write_bytes(base64.b64decode(d['image/png']))
                out.append(f"![]({assets.name if assets else 'index_files'}/figure-commonmark/{name})"); continue
            elif 'text/markdown' in d: out.append(''.join(d['text/markdown']).strip()); continue
            elif 'text/plain' in d: txt = ''.join(d['text/plain'])
            else: continue
            txt = re.sub(r'\x1b\[[0-9;]*m', '', txt).rstrip()
            if txt: out.append('    ' + txt.replace('\n', '\n    '))
    return '\n\n'.join(out).replace('\n    \n', '\n\n') + '\n'


def readme(check_only=False):
    "Write README.md from the README notebook, or, with `check_only`, fail if README.md differs from it."
    from nbdev.config import get_config
    cfg = get_config()
    dest = cfg.config_path/'README.md'
    new = readme_md(NBS/cfg.readme_nb, assets=None if check_only else cfg.config_path/'index_files')
    if check_only:
        old = dest.read_text(encoding='utf-8') if dest.exists() else ''
        if old != new:
            import difflib
            diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), 'README.md', f'from nbs/{cfg.readme_nb}', lineterm='', n=1))
            say('\n'.join(diff[:40]) + ('\n...' if len(diff) > 40 else ''))
            raise SystemExit(f"README.md is not what nbs/{cfg.readme_nb} makes: edit the notebook (not README.md), then run "
                             "`python tools/docs.py readme` and commit README.md")
        say(f"README.md is in sync with nbs/{cfg.readme_nb}")
    else:
        dest.write_text(new, encoding='utf-8'); say(f"wrote README.md from nbs/{cfg.readme_nb}")


def sidebar(check_only=False):
    "Write nbs/sidebar.yml as nbdev_sidebar does (every notebook, in number order), or check that it is so."
    new, dest = sidebar_yml(), NBS/'sidebar.yml'
    if check_only:
        if dest.read_text() != new:
            raise SystemExit(f"nbs/sidebar.yml does not list the notebooks in nbs/ in order; run `python tools/docs.py "
                             f"sidebar` (or nbdev_sidebar) and commit it. Expected:\n{new}")
        say("nbs/sidebar.yml lists every notebook in order")
    else: dest.write_text(new); say("wrote nbs/sidebar.yml")


# ---------------------------------------------------------------------------------------------------------------
# The browser check: headless Chromium driven over the DevTools protocol -
# ---------------------------------------------------------------------------------------------------------------

def find_chromium():
    "The Chromium (or Chrome) executable: $CHROMIUM, else the first on PATH."
    for name in [os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', 'google-chrome', 'chrome']:
        if name and shutil.which(name): return shutil.which(name)


class DevTools:
    "A minimal client of Chromium's DevTools protocol over one websocket (flat sessions)."
    def __init__(self, url):
        try: from websockets.sync.client import connect
        except ImportError: raise SystemExit('websockets is missing: pip install -e ".[dev,docs]"')
        self.ws, self.n, self.events = connect(url, max_size=None, open_timeout=30).__enter__(), 0, []

    def _recv(self, timeout):
        m = json.loads(self.ws.recv(timeout=timeout))
        if 'id' not in m: self.events.append(m)
        return m

    def send(self, method, session=None, timeout=60, **params):
        self.n += 1
        msg = dict(id=self.n, method=method, params=params) | ({'sessionId': session} if session else {})
        self.ws.send(json.dumps(msg))
        t = time.time()
        while True:
            m = self._recv(max(0.1, timeout - (time.time() - t)))
            if m.get('id') == self.n:
                if 'error' in m: raise RuntimeError(f"{method}: {m['error'].get('message')}")
                return m.get('result', {})

    def wait_for(self, method, timeout=30):
        "Wait for the event `method` (one not yet consumed), and return it."
        t = time.time()
        while True:
            for i, e in enumerate(self.events):
                if e.get('method') == method: return self.events.pop(i)
            if time.time() - t > timeout: raise TimeoutError(f"no {method} within {timeout} s")
            try: self._recv(max(0.1, timeout - (time.time() - t)))
            except TimeoutError: pass

    def close(self): self.ws.close()


def launch_chromium(exe, tmp:Path, width=1400, height=1800):
    "Start headless Chromium with a DevTools port; return the process and the browser's websocket URL."
    prof = tmp/'profile'; prof.mkdir(parents=True, exist_ok=True)
    args = [exe, '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
            '--no-default-browser-check', '--disable-extensions', '--disable-background-networking', '--hide-scrollbars',
            '--mute-audio', f'--window-size={width},{height}', '--remote-debugging-port=0',
            f'--user-data-dir={prof}', 'about:blank']
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(tmp/'chromium.log', 'w'))
    port_file, t = prof/'DevToolsActivePort', time.time()
    while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
        if proc.poll() is not None or time.time() - t > 60:
            proc.kill()
            raise SystemExit(f"Chromium did not start: {exe}\n" + (tmp/'chromium.log').read_text()[-2000:])
        time.sleep(0.1)
    port, path = port_file.read_text().split()[:2]
    return proc, f'ws://127.0.0.1:{port}{path}'


def serve(site:Path):
    "Serve `site` over HTTP on a free port of 127.0.0.1 (as GitHub Pages would); return the server and its URL."
    import functools, http.server, threading
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

# What each page reports once loaded: its links, images, ids (link targets), maths, figures and show_doc tables
PAGE_JS = """(() => {
  const imgs = [...document.images];
  return {
    title: document.title,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id).concat([...document.querySelectorAll('a[name]')].map(a => a.name)),
    broken_images: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.currentSrc || i.src).map(s => s.slice(0, 120)),
    images: imgs.length,
    maths: document.querySelectorAll('.katex, mjx-container, .MathJax').length,
    raw_maths: [...document.querySelectorAll('.math')].filter(e => !e.querySelector('.katex, mjx-container')).length,
    tables: document.querySelectorAll('table').length,
    api: [...document.querySelectorAll('a[href]')].filter(a => a.textContent.trim() === 'source').length,
    katex_errors: [...document.querySelectorAll('.katex-error')].map(e => (e.title || e.textContent).slice(0, 160)),
    sidebar: [...document.querySelectorAll('#quarto-sidebar a[href], nav.sidebar a[href], .sidebar a[href]')].map(a => a.href),
  };
})()"""


def expected_pages():
    "The page each notebook in nbs/ should have, as Quarto names it (00_data.ipynb -> data.html)."
    from nbdev.doclinks import _nbpath2html
    return {str(_nbpath2html(f.relative_to(NBS))): str(f.relative_to(ROOT)) for f in notebooks()}


def check(site:Path, shots:Path, timeout:float=30, verbose=True):
    "Open every page of the built `site` in headless Chromium; fail on missing pages, broken links or images, JS errors."
    import tempfile, urllib.parse
    t0 = time.time()
    if not (site/'index.html').exists(): raise SystemExit(f"{site}/index.html is missing: run `python tools/docs.py build` first")
    exe = find_chromium()
    if not exe: raise SystemExit("no Chromium found (Debian: apt-get install chromium; or set $CHROMIUM)")
    pages = sorted(str(p.relative_to(site)) for p in site.rglob('*.html'))
    problems = [f"missing page: {page} (from {nb})" for page, nb in expected_pages().items() if page not in pages]
    srv, base = serve(site)
    tmp = Path(tempfile.mkdtemp(prefix='docs-check-'))
    proc, url = launch_chromium(exe, tmp)
    seen, results, external = {}, {}, set()
    try:
        dt = DevTools(url)
        target = dt.send('Target.createTarget', url='about:blank')['targetId']
        sid = dt.send('Target.attachToTarget', targetId=target, flatten=True)['sessionId']
        for m in ['Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable']: dt.send(m, sid)
        for page in pages:
            dt.events.clear()
            dt.send('Page.navigate', sid, url=base + page)
            dt.wait_for('Page.loadEventFired', timeout)
            time.sleep(0.3)   # deferred work after load (maths, search index)
            r = dt.send('Runtime.evaluate', sid, expression=PAGE_JS, returnByValue=True)['result']['value']
            dt.send('Runtime.evaluate', sid, expression='1')   # flush the events that came meanwhile
            errs, urls = [], {}
            for e in dt.events:
                if e.get('method') == 'Network.requestWillBeSent': urls[e['params']['requestId']] = e['params']['request']['url']
            for e in dt.events:
                m, p = e.get('method'), e.get('params', {})
                if m == 'Runtime.exceptionThrown':
                    d = p['exceptionDetails']
                    errs.append(f"JavaScript exception: {d.get('exception', {}).get('description') or d.get('text')} "
                                f"({d.get('url', '')}:{d.get('lineNumber')})")
                elif m == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
                    errs.append("console error: " + ' '.join(str(a.get('value', a.get('description', ''))) for a in p.get('args', [])))
                elif m == 'Log.entryAdded' and p['entry'].get('level') == 'error' and p['entry'].get('source') != 'network':
                    errs.append(f"browser error: {p['entry'].get('text')}")
                elif m == 'Network.loadingFailed' and not p.get('canceled'):
                    u = urls.get(p.get('requestId'), '?')
                    if u.startswith(base): errs.append(f"failed to load ({p.get('errorText')}): {u}")
                    else: external.add(u.split('?')[0])   # no network here but package registries
                elif m == 'Network.responseReceived' and p['response'].get('status', 200) >= 400 \
                        and not p['response']['url'].endswith('/favicon.ico'):   # asked for by the browser, not the page
                    errs.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
            errs += [f"missing image: {s}" for s in r['broken_images']]
            if r['raw_maths']: errs.append(f"{r['raw_maths']} maths elements not rendered (is KaTeX there?)")
            errs += [f"maths KaTeX cannot read: {e}" for e in r['katex_errors']]
            problems += [f"{page}: {e}" for e in dict.fromkeys(errs)]
            results[page] = r
            seen[page] = set(r['ids'])
        # links inside the site: the page must exist, and so must the anchor
        for page, r in results.items():
            for link in dict.fromkeys(r['links']):
                if not link.startswith(base): continue
                u = urllib.parse.urlsplit(link)
                path = urllib.parse.unquote(u.path)[1:] or 'index.html'
                if path.endswith('/'): path += 'index.html'
                if not (site/path).exists(): problems.append(f"{page}: broken link to {path}")
                elif u.fragment and path in seen and urllib.parse.unquote(u.fragment) not in seen[path]:   # ids may be non-ASCII (σ)
                    problems.append(f"{page}: broken link to {path}#{urllib.parse.unquote(u.fragment)} (no such anchor)")
        # screenshots: the home page, and the chapter with the most maths, at its top and at its first API entry
        shots.mkdir(parents=True, exist_ok=True)
        chapters = [p for p in results if p != 'index.html']
        chapter = max(chapters, key=lambda p: (results[p]['maths'], results[p]['tables']), default=None)
        for name, page, js in [('home', 'index.html', None), (f'chapter-{Path(chapter or "").stem}', chapter, None),
                               (f'chapter-{Path(chapter or "").stem}-api', chapter,
                                "[...document.querySelectorAll('a[href]')].find(a => a.textContent.trim() === 'source')?.parentElement?.scrollIntoView() ?? 0")]:
            if page is None: continue
            dt.send('Page.navigate', sid, url=base + page); dt.wait_for('Page.loadEventFired', timeout); time.sleep(0.3)
            if js: dt.send('Runtime.evaluate', sid, expression=js); time.sleep(0.2)
            import base64
            png = dt.send('Page.captureScreenshot', sid, format='png')['data']
            (shots/f'{name}.png').write_bytes(base64.b64decode(png))
        dt.close()
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        srv.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    n_links = sum(len(set(r['links'])) for r in results.values())
    say(f"checked {len(results)} pages in headless Chromium ({Path(exe).name}) in {time.time() - t0:.0f} s: "
        f"{n_links} links, {sum(r['images'] for r in results.values())} images, "
        f"{sum(r['maths'] for r in results.values())} rendered maths, {sum(r['api'] for r in results.values())} API entries (show_doc)")
    problems = list(dict.fromkeys(problems))
    for page, r in (results.items() if verbose else []):
        say(f"  {page:28} {r['images']:3} images {r['maths']:4} maths {r['api']:3} API entries  {r['title']}")
    if external and verbose: say("not loaded (outside the site, and this machine is offline): " + ', '.join(sorted(external)))
    if verbose: say(f"screenshots in {shots}/: " + ', '.join(sorted(p.name for p in shots.glob('*.png'))))
    if not verbose: pass
    elif problems: say(f"{len(problems)} problems:"); [say('  ' + p) for p in problems]
    else: say("docs check: no missing page, broken link, missing image or JavaScript error")
    return problems


def self_test(site:Path):
    "Break a copy of the built site in each way the check must catch, and assert that it catches each."
    import tempfile
    tmp = Path(tempfile.mkdtemp(prefix='docs-selftest-'))
    try:
        bad = tmp/'site'; shutil.copytree(site, bad)
        gone = sorted(p for p in expected_pages() if p != 'index.html')[-1]
        (bad/gone).unlink()
        home = bad/'index.html'
        home.write_text(home.read_text(encoding='utf-8').replace('</body>',
            '<a href="no-such-page.html">a</a><a href="index.html#no-such-anchor">b</a><img src="no-such-image.png">'
            '<script>throw new Error("planted by the self-test")</script><script>console.error("planted")</script></body>'),
            encoding='utf-8')
        say(f"== self-test: the check on a copy of the site with {gone} removed and a broken home page")
        found = '\n'.join(check(bad, tmp/'shots', verbose=False))
        want = {'missing page': f'missing page: {gone}', 'broken link': 'broken link to no-such-page.html',
                'broken anchor': 'index.html#no-such-anchor (no such anchor)', 'missing image': 'no-such-image.png',
                'JavaScript exception': 'planted by the self-test', 'console error': 'console error: planted'}
        missed = [k for k, v in want.items() if v not in found]
        if missed: raise SystemExit(f"the docs check missed: {', '.join(missed)}")
        say(f"self-test: the check caught all {len(want)} planted faults ({', '.join(want)})")
    finally: shutil.rmtree(tmp, ignore_errors=True)


def readme_commands(readme:Path=ROOT/'README.md'):
    "The shell commands of the README's 'Two commands' section, as written there: the main job, then the tests."
    text = readme.read_text(encoding='utf-8')
    m = re.search(r'^## Two commands\n(.*?)(?=^## )', text, re.S | re.M)
    if not m: raise SystemExit(f"{readme} has no '## Two commands' section")
    cmds = re.findall(r'^```(?:sh|bash)\n(.*?)^```', m.group(1), re.S | re.M)
    cmds = [c.strip() for c in cmds]
    if len(cmds) != 2 or any('\n' in c for c in cmds):
        raise SystemExit(f"{readme}: 'Two commands' must hold two one-line sh blocks, found {cmds}")
    return cmds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    b = sub.add_parser('build', help='build the site into a folder'); b.add_argument('--out', default='_site')
    b.add_argument('--exact', action='store_true', help="run cells that mix imports and code whole, as nbdev_docs does (slow)")
    c = sub.add_parser('check', help='open every page of the built site in headless Chromium')
    c.add_argument('--site', default='_site'); c.add_argument('--shots', default='_site_shots')
    c.add_argument('--self-test', action='store_true', help='also check that the check catches planted faults')
    r = sub.add_parser('readme', help='README.md from nbs/index.ipynb'); r.add_argument('--check', action='store_true')
    y = sub.add_parser('sidebar', help='nbs/sidebar.yml from the notebooks'); y.add_argument('--check', action='store_true')
    sub.add_parser('commands', help="the README's two commands, one a line, as written there")
    a = ap.parse_args(argv)
    os.chdir(ROOT)
    if a.cmd == 'build': build(Path(a.out), a.exact)
    elif a.cmd == 'check':
        if a.self_test: self_test(Path(a.site))
        say("== the built site"); problems = check(Path(a.site), Path(a.shots))
        if problems: raise SystemExit(f"docs check: {len(problems)} problems")
    elif a.cmd == 'readme': readme(a.check)
    elif a.cmd == 'sidebar': sidebar(a.check)
    elif a.cmd == 'commands': print('\n'.join(readme_commands()))


if __name__ == '__main__': main()
