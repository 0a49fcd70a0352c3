"""Code cells that fit the docs page: one statement a line, lines of at most 110 characters.

    python tools/fmt.py nbs/*.ipynb          # reformat the code cells of these notebooks in place
    python tools/fmt.py --check nbs/*.ipynb  # list the lines that are still too long; exit 1 if any

The docs site cuts code blocks off at the right edge, and a line that joins statements with `;` hides them. This
runs `black` (a dev requirement) on every code cell at 110 characters, keeping quotes and nbdev's `#|` directives as
they are; black splits long strings too (its string processing). A trailing comment that would still run past the
edge moves to the line above its code, wrapped: `docments` reads a parameter's comment there as well. Each cell's
syntax tree is checked to be unchanged. Cells with IPython magics are left alone.
"""
import argparse, ast, json, re, sys, textwrap
from pathlib import Path

WIDTH = 110


def _mode():
    import black
    features = {black.mode.Preview.string_processing} if hasattr(black.mode.Preview, 'string_processing') else set()
    return black.Mode(line_length=WIDTH, string_normalization=False, preview=bool(features),
                      enabled_features=features) if features else black.Mode(line_length=WIDTH, string_normalization=False)


def _same_tree(a: str, b: str) -> bool:
    strip = lambda s: ast.dump(ast.parse(s), include_attributes=False)
    return strip(a) == strip(b)


def _move_comments(src: str) -> str:
    "Trailing comments that make a line too long go above it, wrapped to the width."
    import io, tokenize
    lines = src.split('\n')
    try: toks = list(tokenize.generate_tokens(io.StringIO(src).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError): return src
    trailing = {}   # line number -> column of a comment that follows code on its line
    for t in toks:
        if t.type == tokenize.COMMENT and t.line[:t.start[1]].strip(): trailing[t.start[0]] = t.start[1]
    out = []
    for i, line in enumerate(lines, 1):
        if len(line) <= WIDTH or i not in trailing:
            out.append(line); continue
        code, comment = line[:trailing[i]].rstrip(), line[trailing[i]:].lstrip('#').strip()
        indent = re.match(r'\s*', line).group()
        if code.lstrip().startswith((')', ']', '}')) or not comment:
            out.append(line); continue
        wrapped = textwrap.wrap(comment, WIDTH - len(indent) - 2, break_long_words=False) or ['']
        out += [f"{indent}# {w}" for w in wrapped] + [code]
    return '\n'.join(out)


def format_cell(src: str) -> str:
    "A code cell's source at the width, its syntax tree unchanged; the source itself where it cannot be parsed."
    import black
    if any(l.lstrip().startswith(('%', '!')) for l in src.split('\n')): return src
    try: ast.parse(src)
    except SyntaxError: return src
    # black writes `#|` as `# |`; nbdev's directives must stay as they are
    guarded = re.sub(r'^(\s*)#\|', r'\1#:nbdev|', src, flags=re.M)
    try:
        new = black.format_str(_move_comments(guarded), mode=_mode())
        new = black.format_str(_move_comments(new.rstrip('\n')), mode=_mode()).rstrip('\n')
    except Exception: return src
    new = re.sub(r'^(\s*)#:nbdev\|', r'\1#|', new, flags=re.M)
    return new if _same_tree(src, new) else src


def _cells(path):
    nb = json.loads(Path(path).read_text(encoding='utf-8'))
    return nb, [c for c in nb['cells'] if c['cell_type'] == 'code']


def long_lines(path):
    "(cell index, line) for each line over the width in a notebook's code cells."
    _, cells = _cells(path)
    return [(i, l) for i, c in enumerate(cells) for l in ''.join(c['source']).split('\n') if len(l) > WIDTH]


def joined_statements(path):
    "(cell index, line number) for each line of a code cell that holds more than one statement."
    _, cells = _cells(path)
    out = []
    for i, c in enumerate(cells):
        try: tree = ast.parse(''.join(c['source']))
        except SyntaxError: continue
        starts = {}
        for n in ast.walk(tree):
            if isinstance(n, ast.stmt): starts.setdefault(n.lineno, []).append(n)
        out += [(i, k) for k, v in starts.items() if len(v) > 1]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='+')
    ap.add_argument('--check', action='store_true', help="list what is still too long or joined; exit 1 if any")
    a = ap.parse_args(argv)
    if a.check:
        bad = 0
        for p in a.notebooks:
            ll, js = long_lines(p), joined_statements(p)
            bad += len(ll) + len(js)
            for i, l in ll: print(f"{p}: code cell {i}: {len(l)} characters: {l.strip()[:80]}…")
            for i, k in js: print(f"{p}: code cell {i}, line {k}: more than one statement")
        print(f"{bad} lines over {WIDTH} characters or with joined statements")
        raise SystemExit(1 if bad else 0)
    for p in a.notebooks:
        nb, cells = _cells(p)
        changed = 0
        for c in cells:
            src = ''.join(c['source'])
            new = format_cell(src)
            if new != src:
                c['source'] = new.splitlines(True); changed += 1
        if changed:
            Path(p).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
        print(f"{p}: {changed} cells reformatted; {len(long_lines(p))} lines still over {WIDTH}")


if __name__ == '__main__': main()
