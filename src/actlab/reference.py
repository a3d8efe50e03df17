"""High-precision references for every registered activation, in mpmath (60 digits).

The tests measure the library against these in ULP, and the numerical-stability appendix
uses them to show what naive formulas lose.

Each reference is written from the mathematical definition, using identities (not the library's
code paths) only where the plain formula would need thousands of digits: 1 + tanh(u) =
2 / (1 + exp(-2u)), and 1 - tanh(x)^2 = sech(x)^2. A maintainer adding an activation adds its
value and derivative here; the accuracy test refuses an entry without a reference.

>>> float(value("sigmoid", 0.0)), float(derivative("tanh", 0.0))
(0.5, 1.0)
"""

from __future__ import annotations

import mpmath as mp

from actlab.activations import SELU_ALPHA, SELU_LAMBDA

DPS = 60
mp.mp.dps = DPS

_LAMBDA = mp.mpf("1.0507009873554804934193349852946")
_ALPHA = mp.mpf("1.6732632423543772848170429916717")
assert float(_LAMBDA) == SELU_LAMBDA and float(_ALPHA) == SELU_ALPHA


def sigma(x):
    return 1 / (1 + mp.exp(-x))


def _softplus(x):
    return mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x))


def _gelu_tanh_u2(x):
    c = mp.sqrt(2 / mp.pi)
    return 2 * c * (x + mp.mpf("0.044715") * x**3), 2 * c * (1 + 3 * mp.mpf("0.044715") * x**2)


def _ncdf(x):
    """The normal CDF; beyond |x| = 1e5 mpmath's erfc gives up, and the asymptotic series
    Phi(x) = phi(x)/|x| (1 - 1/x^2 + 3/x^4) is exact far past 60 digits there."""
    if abs(x) < 1e5:
        return mp.ncdf(x)
    tail = mp.npdf(x) / abs(x) * (1 - 1 / x**2 + 3 / x**4)
    return tail if x < 0 else 1 - tail


def _step(x):
    return mp.mpf(1) if x > 0 else (mp.mpf(0.5) if x == 0 else mp.mpf(0))


# name -> (f, f') as functions of an mpf x and the activation's parameters (as mpf)
REFERENCES = {
    "identity": (lambda x: x, lambda x: mp.mpf(1)),
    "step": (_step, lambda x: mp.mpf(0)),
    "sigmoid": (sigma, lambda x: sigma(x) * sigma(-x)),
    "tanh": (mp.tanh, lambda x: mp.sech(x) ** 2),
    "relu": (lambda x: max(x, 0), lambda x: mp.mpf(1) if x > 0 else mp.mpf(0)),
    "leaky_relu": (
        lambda x, alpha: x if x > 0 else alpha * x,
        lambda x, alpha: mp.mpf(1) if x > 0 else alpha,
    ),
    "prelu": (
        lambda x, alpha: x if x > 0 else alpha * x,
        lambda x, alpha: mp.mpf(1) if x > 0 else alpha,
    ),
    "elu": (
        lambda x, alpha: x if x > 0 else alpha * mp.expm1(x),
        lambda x, alpha: mp.mpf(1) if x > 0 else alpha * mp.exp(x),
    ),
    "selu": (
        lambda x: _LAMBDA * (x if x > 0 else _ALPHA * mp.expm1(x)),
        lambda x: _LAMBDA * (1 if x > 0 else _ALPHA * mp.exp(x)),
    ),
    "softplus": (_softplus, sigma),
    "gelu": (lambda x: x * _ncdf(x), lambda x: _ncdf(x) + x * mp.npdf(x)),
    "gelu_tanh": (
        lambda x: x * sigma(_gelu_tanh_u2(x)[0]),
        lambda x: sigma(_gelu_tanh_u2(x)[0])
        + x * sigma(_gelu_tanh_u2(x)[0]) * sigma(-_gelu_tanh_u2(x)[0]) * _gelu_tanh_u2(x)[1],
    ),
    "swish": (
        lambda x, beta: x * sigma(beta * x),
        lambda x, beta: sigma(beta * x) + beta * x * sigma(beta * x) * sigma(-beta * x),
    ),
    "mish": (
        lambda x: x * mp.tanh(_softplus(x)),
        lambda x: mp.tanh(_softplus(x)) + x * sigma(x) * mp.sech(_softplus(x)) ** 2,
    ),
}


def value(name: str, x: float, **params) -> mp.mpf:
    p = {k: mp.mpf(v) for k, v in params.items()}
    return REFERENCES[name][0](mp.mpf(x), **p)


def derivative(name: str, x: float, **params) -> mp.mpf:
    p = {k: mp.mpf(v) for k, v in params.items()}
    return REFERENCES[name][1](mp.mpf(x), **p)


def second_derivative(name: str, x: float, **params) -> mp.mpf:
    """f''(x) by high-precision numerical differentiation of the reference f'."""
    p = {k: mp.mpf(v) for k, v in params.items()}
    fprime = REFERENCES[name][1]
    with mp.workdps(2 * DPS):
        xm = mp.mpf(x)
        h = mp.mpf(2) ** (-40) * max(1, abs(xm))
        return (fprime(xm + h, **p) - fprime(xm - h, **p)) / (2 * h)
