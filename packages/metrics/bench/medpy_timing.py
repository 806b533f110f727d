"""Times medpy's hd, hd95 and assd on a NIfTI pair.

medpy is not pip-installable here: put a checkout of github:loli/medpy on PYTHONPATH (outside this
repository). Usage: python3 medpy_timing.py REF PRED [LABEL]. Prints one JSON line.
"""
import json
import sys
import time

t_start = time.perf_counter()
from read_nifti import read_nifti  # noqa: E402
from medpy.metric.binary import assd, hd, hd95  # noqa: E402

t_import = time.perf_counter()
ref_path, pred_path = sys.argv[1], sys.argv[2]
label = int(sys.argv[3]) if len(sys.argv) > 3 else 1
ref, spacing = read_nifti(ref_path)
pred, _ = read_nifti(pred_path)
t_read = time.perf_counter()
a = pred == label
b = ref == label
values = {'hd': float(hd(a, b, spacing)), 'hd95': float(hd95(a, b, spacing)), 'assd': float(assd(a, b, spacing))}
t_end = time.perf_counter()
print(json.dumps({
    'tool': 'medpy', **values,
    'seconds': {'import': t_import - t_start, 'read': t_read - t_import, 'metrics': t_end - t_read},
}))
