"""exp, sigmoid and tanh for the kernels' inner loops, without branches so that LLVM vectorises them.

Numba calls the C library's ``exp`` one number at a time (there is no SVML in PyPI's llvmlite), and a call
inside a loop keeps the loop scalar: that made the element-wise part of an LSTM step cost more than its
matrix product. Here exp is Cephes' recipe in float64: n = round(x·log2 e), r = x − n·ln 2 (ln 2 split in
two so that n·ln2_hi is exact), a Taylor polynomial for e^r − 1 on |r| ≤ ln 2 / 2, and 2^n built in the
exponent bits. Results are within a few ulp of NumPy's. NaN stays NaN; ±inf and overflow give what
``np.exp`` gives, so that a blow-up stays visible in the traces.

Numba's cache checks only the file a kernel is defined in (kernels.py), not the functions it calls from
here: after editing this module, delete ``engine/recurrent/__pycache__/*.nb[ci]`` or the kernels keep the
old code. (An installed release is safe: installing rewrites kernels.py too.)
"""

from __future__ import annotations

import math

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

# Only contraction into fused multiply-adds: it keeps every step at least as accurate as without, while
# reassociation would undo the rounding tricks below.
jit = njit(cache=True, nogil=True, error_model="numpy", fastmath={"contract"})

LOG2E = 1.4426950408889634
LN2_HI = 6.93145751953125e-1  # few significant bits: n·LN2_HI is exact for |n| < 2^11
LN2_LO = 1.42860682030941723212e-6
# Adding 1.5·2^52 rounds to an integer and leaves it in the low bits of the sum's representation.
SHIFTER = 6755399441055744.0
EXP_MAX, EXP_MIN = 710.0, -746.0  # beyond these exp is inf or 0 in float64


@intrinsic
def _bits(typingctx, x):
    """The float64's representation as an int64."""
    sig = types.int64(types.float64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return sig, codegen


@intrinsic
def _from_bits(typingctx, i):
    """The float64 whose representation is the int64 ``i``."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


@jit
def _pow2(k):
    """2^n for k = n + SHIFTER, n between −1022 and 1023: n + 1023 goes into the exponent bits (the
    shifter's low 12 bits are zero, so only n + 1023 survives the shift)."""
    return _from_bits((_bits(k) + 1023) << 52)


@jit
def _expm1_reduced(r):
    """e^r − 1 for |r| ≤ ln 2 / 2 by its Taylor series to r^13 (the remainder is below 1e-17 relative),
    evaluated in Estrin's scheme: pairs of terms in parallel rather than one long chain of multiply-adds."""
    r2 = r * r
    r4 = r2 * r2
    a = 0.5 + r * (1.0 / 6.0)
    b = 1.0 / 24.0 + r * (1.0 / 120.0)
    c = 1.0 / 720.0 + r * (1.0 / 5040.0)
    d = 1.0 / 40320.0 + r * (1.0 / 362880.0)
    e = 1.0 / 3628800.0 + r * (1.0 / 39916800.0)
    f = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0)
    p = (a + r2 * b) + r4 * ((c + r2 * d) + r4 * (e + r2 * f))
    return r + r2 * p


@jit
def exp(x):
    """e^x for a float64 (float32 is computed in float64)."""
    x = EXP_MAX if x > EXP_MAX else (EXP_MIN if x < EXP_MIN else x)  # NaN fails both tests and stays
    k = x * LOG2E + SHIFTER
    n = k - SHIFTER
    r = (x - n * LN2_HI) - n * LN2_LO
    # 2^n in two factors, each a normal number, so that results near overflow and in the subnormal range
    # round once, as they should.
    k1 = 0.5 * n + SHIFTER
    n1 = k1 - SHIFTER
    return (1.0 + _expm1_reduced(r)) * _pow2(k1) * _pow2((n - n1) + SHIFTER)


@jit
def sigmoid(x):
    """1 / (1 + e^−x): 0 and 1 at the extremes, NaN for NaN."""
    return 1.0 / (1.0 + exp(-x))


@jit
def tanh(x):
    """tanh x = −m / (2 + m) with m = e^(−2|x|) − 1, the sign put back; exact to a few ulp everywhere,
    near 0 too, because e^y − 1 is computed without cancellation."""
    y = -2.0 * abs(x)
    y = -40.0 if y < -40.0 else y  # tanh 20 is 1 in float64; keeps 2^n normal. NaN stays.
    k = y * LOG2E + SHIFTER
    n = k - SHIFTER
    r = (y - n * LN2_HI) - n * LN2_LO
    s = _pow2(k)
    m = s * _expm1_reduced(r) + (s - 1.0)  # e^y − 1 = 2^n (e^r − 1) + (2^n − 1)
    return math.copysign(-m / (2.0 + m), x)
