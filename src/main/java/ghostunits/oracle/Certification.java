package ghostunits.oracle;

import ghostunits.model.Layers;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many digits of each oracle value are certified, and why.
 *
 * <p>Every value is computed twice, at p digits and at p + 20 digits, by the same code. For each
 * field and layer the absolute error of the p-digit values is bounded by
 *
 * <pre>
 *   abs_err = 10 max_i |v_i(p) - v_i(p+20)| + 10^(1-p) max_i |v_i(p)|
 * </pre>
 *
 * (ten times the observed disagreement of the values as written, plus one unit in the p-th
 * digit). A rank-one matrix u r^T is bounded from its factors, never formed at p + 20 digits:
 * |u_i r_j - u'_i r'_j| <= |u - u'| |r| + |u'| |r - r'|, the unit in the p-th digit covering the
 * rounding of each written product to p digits. The certified digits of a field
 * and layer are floor(log10(max|v| / abs_err)), at most p - 1; a layer whose values are all
 * within abs_err of zero (e.g. the free-phase errors e of Model A, zero up to rounding) is marked
 * "zero" and not counted in its block's minimum.
 *
 * <p>The agreement is only evidence if the p + 20-digit reference is itself much better than p
 * digits: each of its solves must report a next correction (the solver's own error estimate) of
 * at most 10^-(p+10) (1 + |z|), or certification fails with a {@link CertificationException}.
 */
public final class Certification<S> {
  /** One field at one layer. */
  public record Entry<S>(Schema.Field field, int layer, S absErr, S scale, int digits, boolean zero) {}

  /** A block: the least certified digits over its non-zero field layers, and how. */
  public record Block(String block, int digits, String how) {}

  private final long digits;
  private final long referenceDigits;
  private final Map<Schema.Field, List<Entry<S>>> entries;
  private final Map<String, Block> blocks;

  private Certification(long digits, long referenceDigits, Map<Schema.Field, List<Entry<S>>> entries,
      Map<String, Block> blocks) {
    this.digits = digits;
    this.referenceDigits = referenceDigits;
    this.entries = entries;
    this.blocks = blocks;
  }

  public long digits() {
    return digits;
  }

  public long referenceDigits() {
    return referenceDigits;
  }

  public List<Entry<S>> entries(Schema.Field f) {
    List<Entry<S>> e = entries.get(f);
    if (e == null) {
      throw new IllegalArgumentException("no certification for " + f.path());
    }
    return e;
  }

  public Block block(String name) {
    Block b = blocks.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no certification for block " + name);
    }
    return b;
  }

  /** The least certified digits over every block. */
  public int minimumDigits() {
    int m = (int) digits;
    for (Block b : blocks.values()) {
      m = Math.min(m, b.digits());
    }
    return m;
  }

  /**
   * Compares the p-digit evaluation with the reference (same fields), in {@code cmp} (the
   * reference's precision).
   */
  public static <S, V, M> Certification<S> of(Evaluation<S, V, M> p, Evaluation<S, V, M> reference,
      Backend<S, V, M> cmp, long digits, long referenceDigits) {
    ScalarField<S> f = cmp.scalars();
    BigDecimal ulp = BigDecimal.ONE.scaleByPowerOfTen((int) (1 - digits));
    S refLimit = f.fromDecimal(BigDecimal.ONE.scaleByPowerOfTen((int) -(digits + 10)));
    for (Map.Entry<String, Evaluation.Solve<S>> s : reference.solves().entrySet()) {
      Evaluation.Solve<S> solve = s.getValue();
      S limit = f.multiply(refLimit, f.add(f.one(), solve.stateNorm()));
      if (f.compare(solve.correction(), limit) > 0) {
        throw new CertificationException(s.getKey() + " phase: the " + referenceDigits + "-digit reference solve"
            + " reports a remaining correction of " + sci(f, solve.correction()) + ", above 1e-" + (digits + 10)
            + " (1 + |z|): the reference is not accurate enough to certify " + digits + " digits");
      }
    }
    Map<Schema.Field, List<Entry<S>>> entries = new LinkedHashMap<>();
    for (Schema.Field field : p.fields()) {
      Layers<Evaluation.Value<V>> vp = p.get(field);
      Layers<Evaluation.Value<V>> vr = reference.get(field);
      List<Entry<S>> list = new ArrayList<>();
      for (int k = vp.first(); k <= vp.last(); k++) {
        Evaluation.Value<V> a = vp.at(k);
        Evaluation.Value<V> c = vr.at(k);
        // On the values as written (each apfloat's decimal at its precision: apfloat may hold digits
        // beyond it, which the written value does not have).
        BigDecimal absErr;
        BigDecimal scale;
        if (a instanceof Evaluation.Vec<V> va && c instanceof Evaluation.Vec<V> vc) {
          BigDecimal[] written = decimals(cmp, va.v());
          BigDecimal[] ref = decimals(cmp, vc.v());
          scale = maxAbs(written);
          absErr = TEN.multiply(maxDiff(written, ref)).add(scale.multiply(ulp));
        } else if (a instanceof Evaluation.RankOne<V> ra && c instanceof Evaluation.RankOne<V> rc) {
          BigDecimal[] u = decimals(cmp, ra.left());
          BigDecimal[] uRef = decimals(cmp, rc.left());
          BigDecimal[] r = decimals(cmp, ra.right());
          BigDecimal[] rRef = decimals(cmp, rc.right());
          BigDecimal nr = maxAbs(r);
          scale = maxAbs(u).multiply(nr);
          BigDecimal disagreement = maxDiff(u, uRef).multiply(nr).add(maxAbs(uRef).multiply(maxDiff(r, rRef)));
          // The last term also covers rounding each written entry u_i r_j to p digits (half a unit).
          absErr = TEN.multiply(disagreement).add(scale.multiply(ulp));
        } else {
          throw new IllegalStateException(field.at(k) + ": the two evaluations hold different kinds of value");
        }
        list.add(entry(f, field, k, f.fromDecimal(absErr.round(UP2)), f.fromDecimal(scale), digits));
      }
      entries.put(field, list);
    }
    Map<String, Block> blocks = new LinkedHashMap<>();
    for (String block : Schema.blocks()) {
      int least = (int) digits - 1;
      boolean any = false;
      for (Map.Entry<Schema.Field, List<Entry<S>>> e : entries.entrySet()) {
        if (!e.getKey().block().equals(block)) {
          continue;
        }
        any = true;
        for (Entry<S> en : e.getValue()) {
          if (!en.zero()) {
            least = Math.min(least, en.digits());
          }
        }
      }
      if (any) {
        blocks.put(block, new Block(block, least, how(f, block, p, reference, digits, referenceDigits)));
      }
    }
    return new Certification<>(digits, referenceDigits, entries, blocks);
  }

  private static final BigDecimal TEN = BigDecimal.TEN;
  /** abs_err is stored with two digits, rounded up: it stays a bound. */
  private static final java.math.MathContext UP2 = new java.math.MathContext(2, java.math.RoundingMode.UP);

  private static <S, V, M> BigDecimal[] decimals(Backend<S, V, M> b, V v) {
    ScalarField<S> f = b.scalars();
    BigDecimal[] d = new BigDecimal[b.size(v)];
    for (int i = 0; i < d.length; i++) {
      d[i] = f.toDecimal(b.get(v, i));
    }
    return d;
  }

  private static BigDecimal maxAbs(BigDecimal[] a) {
    BigDecimal m = BigDecimal.ZERO;
    for (BigDecimal v : a) {
      m = m.max(v.abs());
    }
    return m;
  }

  private static BigDecimal maxDiff(BigDecimal[] a, BigDecimal[] c) {
    BigDecimal m = BigDecimal.ZERO;
    for (int i = 0; i < a.length; i++) {
      m = m.max(a[i].subtract(c[i]).abs());
    }
    return m;
  }

  /**
   * One field layer's certificate: floor(log10(max|v| / abs_err)) digits, at most p - 1; marked
   * "zero" (0 digits) where abs_err exceeds max|v|, and with p - 1 digits where abs_err is 0.
   */
  static <S> Entry<S> entry(ScalarField<S> f, Schema.Field field, int k, S absErr, S scale, long digits) {
    if (f.compare(absErr, f.zero()) == 0) {
      // Only when every value is exactly 0 at both precisions.
      return new Entry<>(field, k, absErr, scale, (int) digits - 1, true);
    }
    double ratio = f.toDouble(f.divide(scale, absErr));
    if (!(ratio >= 1)) {
      return new Entry<>(field, k, absErr, scale, 0, true);
    }
    int d = (int) Math.floor(Math.log10(ratio) + 1e-9);
    return new Entry<>(field, k, absErr, scale, (int) Math.min(d, digits - 1), false);
  }

  private static <S, V, M> String how(ScalarField<S> f, String block, Evaluation<S, V, M> p,
      Evaluation<S, V, M> reference, long digits, long referenceDigits) {
    String agreement = "agreement of the " + digits + "- and " + referenceDigits + "-digit evaluations (abs_err = 10 x"
        + " their max difference + one unit of the " + digits + "th digit)";
    List<String> phases = switch (block) {
      case "free", "linear_response" -> List.of("free");
      case "nudged" -> List.of("nudged");
      case "nudged_negative" -> List.of("nudged_negative");
      case "estimate" -> List.of("nudged", "nudged_negative");
      case "update" -> List.of("nudged");
      default -> List.of();
    };
    StringBuilder sb = new StringBuilder(agreement);
    switch (block) {
      case "mlp" -> sb.append("; direct forward pass, no iteration");
      case "backprop", "feedback_alignment" -> sb.append("; direct backward pass, no iteration; dW^k = u^k (r^{k-1})^T"
          + " bounded from its factors");
      case "estimate", "update" -> sb.append("; quotients by beta of the nudged equilibrium; dW bounded from its factors");
      case "linear_response" -> sb.append("; J_0 w = -dF/dbeta solved by iterative refinement (double LU, residual"
          + " at working precision)");
      default -> { }
    }
    for (String phase : phases) {
      Evaluation.Solve<S> sp = p.solves().get(phase);
      Evaluation.Solve<S> sr = reference.solves().get(phase);
      if (sp == null || sr == null) {
        continue;
      }
      sb.append("; ").append(phase).append(" equilibrium by ").append(sp.method()).append(": ")
          .append(sp.iterations()).append(" iterations, residual ").append(sci(f, sp.residual()))
          .append(", next correction ").append(sci(f, sp.correction())).append("; at ").append(referenceDigits)
          .append(" digits next correction ").append(sci(f, sr.correction()))
          .append(" (limit 1e-").append(digits + 10).append(" (1 + |z|))");
    }
    return sb.toString();
  }

  static <S> String sci(ScalarField<S> f, S v) {
    BigDecimal d = f.toDecimal(v);
    if (d.signum() == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.1e", d.round(new java.math.MathContext(3))).replace("e-0", "e-").replace("e+0", "e+");
  }
}
