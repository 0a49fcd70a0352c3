"""Run a notebook and keep its outputs: the docs pages show what the cells printed and drew.

    python tools/run_nb.py nbs/04_mode_connectivity.ipynb              # every cell but the `#| slow` ones
    python tools/run_nb.py nbs/04_mode_connectivity.ipynb --slow       # every cell
    python tools/run_nb.py nbs/04_mode_connectivity.ipynb --slow-cells 65   # and these slow cells (code-cell indices)

A cell that is not run keeps the outputs it had. The notebook is executed in its own folder, as nbdev_test does,
and stops at the first error (nothing is written then). Run `nbdev_clean` after.
"""
import argparse, os, sys, time
from pathlib import Path


def main(argv=None):
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebook')
    ap.add_argument('--slow', action='store_true', help="run the `#| slow` cells too")
    ap.add_argument('--slow-cells', type=int, nargs='*', default=[], help="run these slow cells (code-cell indices)")
    a = ap.parse_args(argv)
    path = Path(a.notebook).resolve()
    nb = read_nb(path)
    os.chdir(path.parent)
    sh = CaptureShell(path)
    code = [c for c in nb.cells if c.cell_type == 'code']
    t0 = time.perf_counter()
    for i, c in enumerate(code):
        slow = c.source.lstrip().startswith('#| slow') or '\n#| slow' in c.source.split('\n\n')[0]
        if slow and not a.slow and i not in a.slow_cells: continue
        if 'nbdev_export()' in c.source: continue
        t = time.perf_counter()
        sh.cell(c)
        if sh.exc:
            print(f"code cell {i} failed:\n{c.source[:500]}", file=sys.stderr)
            raise sh.exc
        print(f"code cell {i}: {time.perf_counter() - t:.1f} s", flush=True)
    write_nb(nb, path)
    print(f"{path.name}: ran in {time.perf_counter() - t0:.0f} s; outputs saved")


if __name__ == '__main__': main()
