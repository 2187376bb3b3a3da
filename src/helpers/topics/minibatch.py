"""MiniBatchNMF (the large-corpus final model) whose ``transform`` forms its fixed products once.

* ``_MiniBatchNMF`` — scikit-learn's :class:`~sklearn.decomposition.MiniBatchNMF`, except in
  ``_solve_W`` (the heart of ``transform``: W solved with H fixed by multiplicative updates).
  scikit-learn forms X Hᵀ and H Hᵀ anew at every one of up to ``transform_max_iter`` updates
  although neither changes while H is fixed; here they are formed once and handed to the same
  ``_multiplicative_update_w`` (which then works on a copy of X Hᵀ). Same products, same
  updates, same stopping rule: W identical bit for bit (tests/test_s18_g4_minibatch.py).
  In ``fit`` (``_minibatch_step``) each mini-batch's cost, which scikit-learn computes with a
  second X Hᵀ of the batch for the same H, reads the product the W update formed: the same
  cost, so the same stopping step and the same topics bit for bit.
  Only the Frobenius loss (the project's) takes these paths; other losses use scikit-learn's.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, sparse
from sklearn.decomposition import MiniBatchNMF
from sklearn.decomposition._nmf import _multiplicative_update_h, _multiplicative_update_w, trace_dot
from sklearn.utils.extmath import safe_sparse_dot

__all__: list[str] = []


class _MiniBatchNMF(MiniBatchNMF):
    """MiniBatchNMF forming each fixed product once (same W and H bit for bit)."""

    def _solve_W(self, X, H, max_iter):
        if self._beta_loss != 2:
            return super()._solve_W(X, H, max_iter)
        avg = np.sqrt(X.mean() / self._n_components)
        W = np.full((X.shape[0], self._n_components), avg, dtype=X.dtype)
        W_buffer = W.copy()
        l1_reg_W, _, l2_reg_W, _ = self._compute_regularization(X)
        XHt = safe_sparse_dot(X, H.T)  # fixed while H is: scikit-learn forms both every update
        HHt = np.dot(H, H.T)
        for _ in range(max_iter):
            W, *_ = _multiplicative_update_w(
                X, W, H, self._beta_loss, l1_reg_W, l2_reg_W, self._gamma,
                HHt=HHt, XHt=XHt, update_H=False,  # update_H=False: the update copies XHt
            )
            W_diff = linalg.norm(W - W_buffer) / linalg.norm(W)
            if self.tol > 0 and W_diff <= self.tol:
                break
            W_buffer[:] = W
        return W

    def _minibatch_step(self, X, W, H, update_H):
        if self._beta_loss != 2 or self.fresh_restarts or W is None or not sparse.issparse(X):
            return super()._minibatch_step(X, W, H, update_H)
        batch_size = X.shape[0]
        l1_reg_W, l1_reg_H, l2_reg_W, l2_reg_H = self._compute_regularization(X)
        XHt = safe_sparse_dot(X, H.T)  # for the W update and the batch's cost (same H)
        W, *_ = _multiplicative_update_w(
            X, W, H, self._beta_loss, l1_reg_W, l2_reg_W, self._gamma, XHt=XHt, update_H=False
        )
        # _beta_divergence(X, W, H, 2) for sparse X, its X @ H.T being XHt
        norm_X = np.dot(X.data, X.data)
        norm_WH = trace_dot(np.linalg.multi_dot([W.T, W, H]), H)
        divergence = (norm_X + norm_WH - 2.0 * trace_dot(XHt, W)) / 2.0
        batch_cost = (
            divergence
            + l1_reg_W * W.sum()
            + l1_reg_H * H.sum()
            + l2_reg_W * (W**2).sum()
            + l2_reg_H * (H**2).sum()
        ) / batch_size
        if update_H:
            H[:] = _multiplicative_update_h(
                X, W, H, beta_loss=self._beta_loss, l1_reg_H=l1_reg_H, l2_reg_H=l2_reg_H,
                gamma=self._gamma, A=self._components_numerator, B=self._components_denominator,
                rho=self._rho,
            )
        return batch_cost
