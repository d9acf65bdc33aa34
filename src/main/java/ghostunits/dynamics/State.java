package ghostunits.dynamics;

import ghostunits.model.Layers;

/** The dynamic variables: somatic potentials s^1..s^N and ghost potentials g^1..g^{N-1}. */
public record State<V>(Layers<V> s, Layers<V> g) {}
