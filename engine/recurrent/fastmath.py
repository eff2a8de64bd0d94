"""exp, sigmoid and tanh for the kernels' inner loops, without branches so that LLVM vectorises them.

Numba calls the C library's ``exp`` one number at a time (there is no SVML in PyPI's llvmlite), and a call
inside a loop keeps the loop scalar: that made the element-wise part of an LSTM step cost more than its
matrix product. Here exp is Cephes' recipe: n = round(x·log2 e), r = x − n·ln 2 (ln 2 split in two so that
n·ln2_hi is exact), a Taylor polynomial for e^r − 1 on |r| ≤ ln 2 / 2, and 2^n built in the exponent bits.
NaN stays NaN; ±inf and overflow give what ``np.exp`` gives, so that a blow-up stays visible in the traces.

Each function comes in the precision of its argument, as NumPy's do: float64 within a few ulp of NumPy's,
and float32 with a shorter polynomial in float32 arithmetic, within a few float32 ulp of the exact value.
A float32 LSTM step spends most of its element-wise time here, and float32 runs twice the lanes per
instruction and divides faster; computing it in float64 made that part three times slower.

Numba's cache checks only the file a kernel is defined in (kernels.py), not the functions it calls from
here: after editing this module, delete ``engine/recurrent/__pycache__/*.nb[ci]`` or the kernels keep the
old code. (An installed release is safe: installing rewrites kernels.py too.)
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload

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
def _exp64(x):
    """e^x for a float64."""
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
def _sigmoid64(x):
    """1 / (1 + e^−x): 0 and 1 at the extremes, NaN for NaN."""
    return 1.0 / (1.0 + _exp64(-x))


@jit
def _tanh64(x):
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


# ------------------------------------------------------------------------------------------- float32
# The same recipes in float32 arithmetic. Every constant is a float32: a Python float would turn the
# arithmetic into float64.

F = np.float32
ONE, TWO, HALF = F(1.0), F(2.0), F(0.5)
LOG2E_F = F(LOG2E)
LN2_HI_F = F(0.693359375)  # 9 significant bits: n·LN2_HI_F is exact for |n| < 2^15
LN2_LO_F = F(-2.12194440e-4)
SHIFTER_F = F(12582912.0)  # 1.5·2^23, as SHIFTER above
EXP_MAX_F, EXP_MIN_F = F(89.0), F(-104.0)  # beyond these exp is inf or 0 in float32
TANH_MIN_F = F(-20.0)  # tanh 10 is 1 in float32
C2, C3, C4, C5, C6, C7 = (F(1.0 / math.factorial(k)) for k in range(2, 8))


@intrinsic
def _pow2_f32(typingctx, k):
    """2^n as a float32 for k = n + SHIFTER_F, n between −126 and 128 (128 gives inf): n + 127 goes into
    the exponent bits, as in ``_pow2``."""
    sig = types.float32(types.float32)

    def codegen(context, builder, signature, args):
        i32 = ir.IntType(32)
        bits = builder.add(builder.bitcast(args[0], i32), ir.Constant(i32, 127))
        return builder.bitcast(builder.shl(bits, ir.Constant(i32, 23)), ir.FloatType())

    return sig, codegen


@jit
def _expm1_reduced32(r):
    """e^r − 1 for |r| ≤ ln 2 / 2 to r^7 (the remainder is below 6e-9, a tenth of float32's ulp at 1)."""
    r2 = r * r
    p = (C2 + r * C3) + r2 * ((C4 + r * C5) + r2 * (C6 + r * C7))
    return r + r2 * p


@jit
def _exp32(x):
    """e^x for a float32, in two factors of 2^n as ``_exp64``."""
    x = EXP_MAX_F if x > EXP_MAX_F else (EXP_MIN_F if x < EXP_MIN_F else x)  # NaN fails both tests and stays
    k = x * LOG2E_F + SHIFTER_F
    n = k - SHIFTER_F
    r = (x - n * LN2_HI_F) - n * LN2_LO_F
    k1 = HALF * n + SHIFTER_F
    n1 = k1 - SHIFTER_F
    return (ONE + _expm1_reduced32(r)) * _pow2_f32(k1) * _pow2_f32((n - n1) + SHIFTER_F)


@jit
def _sigmoid32(x):
    return ONE / (ONE + _exp32(-x))


@jit
def _tanh32(x):
    """As ``_tanh64``."""
    y = -TWO * abs(x)
    y = TANH_MIN_F if y < TANH_MIN_F else y
    k = y * LOG2E_F + SHIFTER_F
    n = k - SHIFTER_F
    r = (y - n * LN2_HI_F) - n * LN2_LO_F
    s = _pow2_f32(k)
    m = s * _expm1_reduced32(r) + (s - ONE)
    return math.copysign(-m / (TWO + m), x)


# ----------------------------------------------------------------- public: the precision of the argument


def exp(x):
    """e^x in the precision of x (float32 or float64); called from compiled code only."""
    raise TypeError("fastmath functions run inside @njit code")


def sigmoid(x):
    """1 / (1 + e^−x) in the precision of x: 0 and 1 at the extremes, NaN for NaN."""
    raise TypeError("fastmath functions run inside @njit code")


def tanh(x):
    """tanh x in the precision of x."""
    raise TypeError("fastmath functions run inside @njit code")


def _by_precision(f32, f64):
    def typed(x):
        fn = f32 if x == types.float32 else f64
        return lambda x: fn(x)

    return typed


for _public, _f32, _f64 in ((exp, _exp32, _exp64), (sigmoid, _sigmoid32, _sigmoid64), (tanh, _tanh32, _tanh64)):
    overload(_public, jit_options={"nogil": True, "error_model": "numpy", "fastmath": {"contract"}}, inline="always")(
        _by_precision(_f32, _f64)
    )
