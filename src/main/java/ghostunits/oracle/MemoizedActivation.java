package ghostunits.oracle;

import ghostunits.model.Activation;
import ghostunits.model.Sigmoid;
import ghostunits.numeric.ScalarField;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An activation that remembers rho(x) and rho'(x) for every x it has seen. An evaluation meets
 * the same potentials again and again (the rates of a state in its field and again in its errors,
 * the MLP's s^1 = W^1 x again as the bottom-up drive of eq. 6, the slopes of the free state in
 * the Jacobian and in the linear response); at 50 digits a sigmoid costs tens of microseconds, on
 * a 500-unit layer that adds up. Values are exactly those of the wrapped activation. One instance
 * per evaluation (one precision; its phases may run in parallel): it grows until dropped.
 */
final class MemoizedActivation implements Activation {
  private final Activation inner;
  private final Map<Object, Object> values = new ConcurrentHashMap<>();
  private final Map<Object, Object> derivatives = new ConcurrentHashMap<>();

  MemoizedActivation(Activation inner) {
    this.inner = inner;
  }

  @Override
  @SuppressWarnings("unchecked") // keys and values are the S of the one field this instance serves
  public <S> S value(ScalarField<S> f, S x) {
    if (x == null) {
      return inner.value(f, x);
    }
    Object v = values.get(x);
    if (v == null) {
      S computed = inner.value(f, x);
      Object stored = computed;
      if (stored != null) {
        values.put(x, stored);
      }
      return computed;
    }
    return (S) v;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <S> S derivative(ScalarField<S> f, S x) {
    if (x == null) {
      return inner.derivative(f, x);
    }
    Object v = derivatives.get(x);
    if (v == null) {
      // The sigmoid's slope is a function of its (remembered) value: no second exp.
      S computed = inner == Sigmoid.INSTANCE ? Sigmoid.derivativeFromValue(f, value(f, x)) : inner.derivative(f, x);
      Object stored = computed;
      if (stored != null) {
        derivatives.put(x, stored);
      }
      return computed;
    }
    return (S) v;
  }

  @Override
  public double lipschitz() {
    return inner.lipschitz();
  }

  @Override
  public String name() {
    return inner.name();
  }
}
