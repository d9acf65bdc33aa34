package ghostunits.model;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;

/**
 * How a network computes: the number system (backend), the transfer function and the cost. Every
 * algorithm takes one of these, so the same code runs in double and in apfloat.
 */
public final class Model<S, V, M> {
  private final Backend<S, V, M> backend;
  private final Activation activation;
  private final Cost cost;

  public Model(Backend<S, V, M> backend, Activation activation, Cost cost) {
    this.backend = backend;
    this.activation = activation;
    this.cost = cost;
  }

  /** Sigmoid units and squared error, the paper's setting. */
  public static <S, V, M> Model<S, V, M> paper(Backend<S, V, M> backend) {
    return new Model<>(backend, Sigmoid.INSTANCE, SquaredError.INSTANCE);
  }

  public Backend<S, V, M> backend() {
    return backend;
  }

  public ScalarField<S> scalars() {
    return backend.scalars();
  }

  public Activation activation() {
    return activation;
  }

  public Cost cost() {
    return cost;
  }

  /** rho applied to every entry. */
  public V rho(V s) {
    ScalarField<S> f = backend.scalars();
    return backend.map(s, x -> activation.value(f, x));
  }

  /** rho' applied to every entry. */
  public V rhoPrime(V s) {
    ScalarField<S> f = backend.scalars();
    return backend.map(s, x -> activation.derivative(f, x));
  }

  public S scalar(double d) {
    return backend.scalars().fromDouble(d);
  }
}
