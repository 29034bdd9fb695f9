"""Reference values of digamma and trigamma for DigammaTest (scipy.special, float64).

Regenerate: python3 trainers/src/test/resources/adapters/digamma_reference.py > trainers/src/test/resources/adapters/digamma_reference.csv
"""
import numpy as np
import scipy
from scipy.special import digamma, polygamma

xs = [1e-3, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.4616321449683623, 1.5, 2.0, 2.5, 3.0, 3.7,
      5.0, 7.5, 8.0, 9.99, 12.0, 20.0, 33.3, 50.0, 100.0, 1234.5, 1e5]
print(f"# x,digamma(x),trigamma(x)  scipy {scipy.__version__}")
for x in xs:
    print(f"{x!r},{float(digamma(x))!r},{float(polygamma(1, x))!r}")
