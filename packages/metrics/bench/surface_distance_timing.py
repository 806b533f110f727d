"""Times google-deepmind/surface-distance's HD, HD95 and average surface distance on a NIfTI pair.

surface-distance is not pip-installable here: put a checkout of github:google-deepmind/surface-distance
on PYTHONPATH (outside this repository). Usage: python3 surface_distance_timing.py REF PRED [LABEL]
Prints one JSON line with the values and the in-process phase times (the node bench also times the
whole process).
"""
import json
import sys
import time
import warnings

warnings.filterwarnings('ignore', category=DeprecationWarning)
t_start = time.perf_counter()
from read_nifti import read_nifti  # noqa: E402
from surface_distance import metrics  # noqa: E402

t_import = time.perf_counter()
ref_path, pred_path = sys.argv[1], sys.argv[2]
label = int(sys.argv[3]) if len(sys.argv) > 3 else 1
ref, spacing = read_nifti(ref_path)
pred, _ = read_nifti(pred_path)
t_read = time.perf_counter()
sd = metrics.compute_surface_distances(ref == label, pred == label, spacing)
hd = metrics.compute_robust_hausdorff(sd, 100)
hd95 = metrics.compute_robust_hausdorff(sd, 95)
avg = metrics.compute_average_surface_distance(sd)
nsd1 = metrics.compute_surface_dice_at_tolerance(sd, 1.0)
t_end = time.perf_counter()
print(json.dumps({
    'tool': 'surface-distance',
    'hd': float(hd), 'hd95': float(hd95), 'average': [float(avg[0]), float(avg[1])], 'nsd1': float(nsd1),
    'seconds': {'import': t_import - t_start, 'read': t_read - t_import, 'metrics': t_end - t_read},
}))
