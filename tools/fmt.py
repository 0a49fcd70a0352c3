"""Code cells that fit the docs page: lines of at most 110 characters, one statement a line.

    python tools/fmt.py nbs/*.ipynb          # fix the code cells of these notebooks in place
    python tools/fmt.py --check nbs/*.ipynb  # list what is still too long or joined; exit 1 if any

The docs site cuts code blocks off at the right edge, and a line that joins statements hides them. Only what
breaks these two rules is touched, so the notebooks keep nbdev's compact style (`width:int=512, # units`)
everywhere else:
1. a trailing comment that runs past the edge moves to the line above its code, wrapped (`docments` reads a
   parameter's comment there as well);
2. the statements of a line that holds several (`a; b`, `if c: return x`), and a statement with a line over the
   edge, are rewritten by `black` (`pip install black`) at 110 characters, quotes kept, long strings split;
   a compound statement is rewritten only when its own header is at fault, never for a line in its body.
Each cell's syntax tree is checked to be unchanged, statement by statement; cells with IPython magics, and
docstrings (one line each, by the house style), are left alone and listed by `--check`.
"""
import argparse, ast, io, json, re, sys, textwrap, tokenize
from pathlib import Path

WIDTH = 110
COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef,
            ast.AsyncFunctionDef, ast.ClassDef) + ((ast.TryStar,) if hasattr(ast, 'TryStar') else ()) + \
           ((ast.Match,) if hasattr(ast, 'Match') else ())


def _mode(width):
    import black
    sp = getattr(black.mode.Preview, 'string_processing', None)
    kw = dict(line_length=width, string_normalization=False)
    return black.Mode(**kw, preview=True, enabled_features={sp}) if sp else black.Mode(**kw)


def _dump(src):
    return ast.dump(ast.parse(src), include_attributes=False)


def move_comments(src:str) -> str:
    "Trailing comments that make a line too long go above it, wrapped to the width."
    lines = src.split('\n')
    try: toks = list(tokenize.generate_tokens(io.StringIO(src).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError): return src
    trailing = {t.start[0]: t.start[1] for t in toks if t.type == tokenize.COMMENT and t.line[:t.start[1]].strip()}
    out = []
    own = {t.start[0] for t in toks if t.type == tokenize.COMMENT and not t.line[:t.start[1]].strip()}
    for i, line in enumerate(lines, 1):
        if len(line) > WIDTH and i in own and not line.lstrip().startswith('#|'):   # a comment line: wrapped
            pad = re.match(r'\s*', line).group()
            text = line.strip().lstrip('#').strip()
            out += [f"{pad}# {w}" for w in textwrap.wrap(text, WIDTH - len(pad) - 2, break_long_words=False)]
            continue
        if len(line) <= WIDTH or i not in trailing:
            out.append(line)
            continue
        code, comment = line[:trailing[i]].rstrip(), line[trailing[i]:].lstrip('#').strip()
        indent = re.match(r'\s*', line).group()
        if code.lstrip().startswith((')', ']', '}')) or not comment or comment.startswith('|'):
            out.append(line)
            continue
        wrapped = textwrap.wrap(comment, WIDTH - len(indent) - 2, break_long_words=False) or ['']
        out += [f"{indent}# {w}" for w in wrapped] + [code]
    return '\n'.join(out)


def _docstring_lines(tree):
    "Line numbers of docstrings (left alone: one line each by the house style)."
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and n.body:
            d = n.body[0]
            if isinstance(d, ast.Expr) and isinstance(d.value, ast.Constant) and isinstance(d.value.value, str):
                out |= set(range(d.lineno, d.end_lineno + 1))
    return out


def _blocks(tree):
    "Every statement list in the tree: module and function bodies, branches, handlers, cases."
    for n in ast.walk(tree):
        for f in ('body', 'orelse', 'finalbody'):
            v = getattr(n, f, None)
            if isinstance(v, list) and v and all(isinstance(s, ast.stmt) for s in v): yield v


def faults(src:str):
    "Line numbers (1-based) of a cell's code that are too long or hold several statements, docstrings excluded."
    tree = ast.parse(src)
    docs = _docstring_lines(tree)
    bad = {i for i, l in enumerate(src.split('\n'), 1) if len(l) > WIDTH and i not in docs}
    starts = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.stmt): starts.setdefault(n.lineno, []).append(n)
    return bad | {k for k, v in starts.items() if len(v) > 1}


def _first_line(s):
    "A statement's first line, decorators included."
    decs = getattr(s, 'decorator_list', None) or []
    return min([s.lineno] + [d.lineno for d in decs])


def _unit(tree, lines, line):
    "What to rewrite for a faulty line: ('header', a, b) of a compound statement, or ('code', a, b)."
    starts_line = lambda s: s.col_offset == len(lines[s.lineno - 1]) - len(lines[s.lineno - 1].lstrip())
    cands = []
    for block in _blocks(tree):
        for k, s in enumerate(block):
            if not _first_line(s) <= line <= s.end_lineno or not starts_line(s): continue
            if lines[s.lineno - 1].lstrip().startswith('elif'): continue   # an `elif`: its chain is the unit
            if isinstance(s, COMPOUND):
                b0 = s.body[0]
                if line < b0.lineno and starts_line(b0): return ('header', _first_line(s), b0.lineno - 1)
                cands.append((_first_line(s), s.end_lineno))
                continue
            i = j = k
            while i > 0 and block[i - 1].end_lineno == block[i].lineno: i -= 1
            while j + 1 < len(block) and block[j + 1].lineno == block[j].end_lineno: j += 1
            if starts_line(block[i]): cands.append((_first_line(block[i]), block[j].end_lineno))
    if not cands: return None
    a, b = min(cands, key=lambda c: c[1] - c[0])
    return ('code', a, b)


def _black(text, width):
    import black
    return black.format_str(text, mode=_mode(width)).rstrip('\n')


def _rewrite(src, kind, a, b):
    "Lines a..b of src rewritten by black at the width (less their indentation); None if that fails or changes code."
    lines = src.split('\n')
    seg = lines[a - 1:b]
    indent = re.match(r'\s*', seg[0]).group()
    body = '\n'.join(l[len(indent):] if l.startswith(indent) else l.lstrip() for l in seg)
    try:
        if kind == 'header':   # a stand-in body, so that black formats the header alone
            new = _black(body + '\n    pass', WIDTH - len(indent)).split('\n')
            if new[-1].strip() != 'pass': return None
            new = '\n'.join(new[:-1])
        else: new = _black(body, WIDTH - len(indent))
    except Exception: return None
    new = '\n'.join((indent + l) if l.strip() else '' for l in new.split('\n'))
    out = '\n'.join(lines[:a - 1] + [new] + lines[b:])
    try: same = _dump(out) == _dump(src)
    except SyntaxError: return None
    return out if same and out != src else None


def split_docstrings(src:str) -> str:
    "One-line docstrings past the edge written as adjacent literals in parentheses: the same string, shorter lines."
    tree = ast.parse(src)
    lines = src.split('\n')
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    for n in sorted(defs, key=lambda n: -n.body[0].lineno):
        d = n.body[0]
        if not (isinstance(d, ast.Expr) and isinstance(d.value, ast.Constant) and isinstance(d.value.value, str)):
            continue
        line = lines[d.lineno - 1]
        if d.lineno != d.end_lineno or len(line) <= WIDTH or line[d.end_col_offset:].strip(): continue
        lit = line[d.col_offset:d.end_col_offset]
        q = lit[0]
        if lit[:3] == q * 3 or q not in '"\'' or not lit.endswith(q) or '\\' in lit: continue
        indent = ' ' * d.col_offset
        parts, cur = [], ''
        for w in re.split(r'(?<= )', lit[1:-1]):
            if cur and len(indent) + len(cur) + len(w) + 4 > WIDTH:
                parts.append(cur)
                cur = ''
            cur += w
        parts.append(cur)
        if len(parts) < 2: continue
        new = [f"{indent}({q}{parts[0]}{q}"] + [f"{indent} {q}{p}{q}" for p in parts[1:]]
        new[-1] += ')'
        lines[d.lineno - 1:d.lineno] = new
    return '\n'.join(lines)


def format_cell(src:str) -> str:
    "A code cell's source with its faulty lines fixed, its syntax tree unchanged; the source itself where it cannot be parsed."
    if any(l.lstrip().startswith(('%', '!')) for l in src.split('\n')): return src
    try: before = _dump(src)
    except SyntaxError: return src
    new = move_comments(src)
    if _dump(new) != before: new = src
    got = split_docstrings(new)
    if _dump(got) == before: new = got
    tried = set()
    for _ in range(200):
        tree = ast.parse(new)
        todo = sorted(l for l in faults(new) if l not in tried)
        if not todo: break
        line = todo[0]
        tried.add(line)
        u = _unit(tree, new.split('\n'), line)
        if u is None: continue
        got = _rewrite(new, *u)
        if got is not None:
            new, tried = got, set()
    return new if _dump(new) == before else src


def _cells(path):
    nb = json.loads(Path(path).read_text(encoding='utf-8'))
    return nb, [c for c in nb['cells'] if c['cell_type'] == 'code']


def report(path):
    "(cell index, line number, line) for each fault left in a notebook's code cells, docstrings included."
    _, cells = _cells(path)
    out = []
    for i, c in enumerate(cells):
        src = ''.join(c['source'])
        if any(l.lstrip().startswith(('%', '!')) for l in src.split('\n')): continue
        try: bad = faults(src) | {k for k, l in enumerate(src.split('\n'), 1) if len(l) > WIDTH}
        except SyntaxError: continue
        out += [(i, k, src.split('\n')[k - 1]) for k in sorted(bad)]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='+')
    ap.add_argument('--check', action='store_true', help="list what is still too long or joined; exit 1 if any")
    a = ap.parse_args(argv)
    total = 0
    for p in a.notebooks:
        if not a.check:
            nb, cells = _cells(p)
            changed = 0
            for c in cells:
                src = ''.join(c['source'])
                new = format_cell(src)
                if new != src:
                    c['source'] = new.splitlines(True)
                    changed += 1
            if changed: Path(p).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
        left = report(p)
        total += len(left)
        if a.check:
            for i, k, l in left: print(f"{p}: code cell {i}, line {k}: {len(l)} characters: {l.strip()[:70]}…")
        else: print(f"{p}: {changed} cells changed; {len(left)} faults left")
    print(f"{total} lines over {WIDTH} characters or with several statements")
    if a.check: raise SystemExit(1 if total else 0)


if __name__ == '__main__': main()
