package ghostunits.model;

import ghostunits.numeric.Backend;

/** The cost C(r^N, y) with its gradient and Hessian in r^N (the output nudging uses both). */
public interface Cost {
  <S, V, M> S value(Backend<S, V, M> b, V r, V y);

  /** dC/dr at r. */
  <S, V, M> V gradient(Backend<S, V, M> b, V r, V y);

  /** d^2C/dr^2 at r. */
  <S, V, M> M hessian(Backend<S, V, M> b, V r, V y);

  String name();
}
