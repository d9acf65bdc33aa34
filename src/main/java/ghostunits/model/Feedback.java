package ghostunits.model;

/** How the top-down weights B^k are set. */
public enum Feedback {
  /** Transpose feedback: B^k = (W^{k+1})^T, kept so as W learns. */
  TF,
  /** Feedback alignment: B^k fixed at a random value. */
  FA
}
