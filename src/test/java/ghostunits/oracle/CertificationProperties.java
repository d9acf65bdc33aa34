package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Layers;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.ApfloatMatrix;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apfloat.Apfloat;

/**
 * The certificate is a bound, not a guess: for every field and layer (the update block of eq. 6
 * included, at a given eta_W) the p-digit values written
 * to a result file differ from the truth (the same network evaluated at p + 60 digits) by at most
 * the certified abs_err (measured over 150 tries: the true error reached at most 0.24 of the bound).
 * An earlier version compared the apfloat values themselves, whose hidden digits beyond p the
 * written values do not have, and this property caught a case (a 1 x 1 rank-one matrix) where the
 * true error exceeded the bound by 0.4%. And it is not vacuous: every certified abs_err is at most
 * 10^(12-p) max(1, |v|) (measured: at most 10^(7.5-p); beta = 1e-6 costs 6 digits in e/beta). Relative digits can be
 * far fewer for a value that is itself a cancellation: Model B's free-phase e is about 1e-16 (its
 * Omega cancels the feedback only to double precision), so at 25 digits it has about 9.
 */
class CertificationProperties {
  static final long DIGITS = 25;

  @Property(tries = 12)
  void certifiedErrorBoundsTheTrueError(@ForAll("cases") GoldenSuite.Case c, @ForAll("betas") String beta,
      @ForAll("etas") String etaW) throws Exception {
    NetworkFile net = GoldenSuite.build(c, null);
    List<Schema.Field> all = Schema.FIELDS;
    BigDecimal b = new BigDecimal(beta);
    BigDecimal eta = new BigDecimal(etaW);
    Oracle.Result r = Oracle.evaluate(net, b, eta, all, DIGITS);
    ApfloatBackend truthBackend = new ApfloatBackend(DIGITS + 60);
    Evaluation<Apfloat, Apfloat[], ApfloatMatrix> truth = Evaluation.run(truthBackend, net, b, eta, all);
    // Every block this network has is there, the update block (eq. 6 with eta_W) included.
    for (String[] f : new String[][] {{"update", "dW"}, {"update", "dW_first_order"}, {"estimate", "dW"}}) {
      assertThat(r.values().fields()).as(net.describe()).anyMatch(x -> x.block().equals(f[0]) && x.name().equals(f[1]));
    }
    MathContext mc = new MathContext((int) DIGITS, RoundingMode.HALF_EVEN);
    for (Schema.Field f : r.values().fields()) {
      Layers<Evaluation.Value<Apfloat[]>> got = r.values().get(f);
      Layers<Evaluation.Value<Apfloat[]>> exact = truth.get(f);
      List<Certification.Entry<Apfloat>> cert = r.certification().entries(f);
      for (int k = got.first(); k <= got.last(); k++) {
        Certification.Entry<Apfloat> e = cert.get(k - got.first());
        BigDecimal bound = new BigDecimal(e.absErr().toString(true));
        BigDecimal err = maxError(got.at(k), exact.at(k), mc);
        assertThat(err.compareTo(bound)).as("%s (%s, beta %s): true error %s > certified %s", f.at(k),
            net.describe(), beta, err, bound).isLessThanOrEqualTo(0);
        BigDecimal scale = new BigDecimal(e.scale().toString(true)).max(BigDecimal.ONE);
        assertThat(bound.compareTo(scale.scaleByPowerOfTen((int) (12 - DIGITS))))
            .as("%s (%s, beta %s): certified abs_err %s is not within 1e-%d max(1, |v|)", f.at(k), net.describe(), beta,
                bound, DIGITS - 12).isLessThanOrEqualTo(0);
      }
    }
  }

  /**
   * The digits a result file reports follow from the bounds by the class's definition: per field
   * layer floor(log10(max|v| / abs_err)), at most p - 1 (0, marked zero, when abs_err exceeds
   * max|v|; p - 1, marked zero, when abs_err is 0); per block the least over its layers not marked
   * zero (p - 1 if none); overall the least over the blocks; the reference at p + 20 digits.
   * (The class takes the floor of log10 with a slack of 1e-9, hence the factor 1 - 1e-8 below.)
   */
  @Property(tries = 8)
  void certifiedDigitsFollowFromTheBounds(@ForAll("cases") GoldenSuite.Case c, @ForAll("betas") String beta,
      @ForAll("etas") String etaW) throws Exception {
    NetworkFile net = GoldenSuite.build(c, null);
    Oracle.Result r = Oracle.evaluate(net, new BigDecimal(beta), new BigDecimal(etaW), Schema.FIELDS, DIGITS);
    Certification<Apfloat> cert = r.certification();
    int p = (int) DIGITS;
    assertThat(cert.digits()).isEqualTo(DIGITS);
    assertThat(cert.referenceDigits()).isEqualTo(DIGITS + 20);
    BigDecimal slack = new BigDecimal("0.99999999");
    java.util.Map<String, Integer> least = new java.util.LinkedHashMap<>();
    for (Schema.Field f : r.values().fields()) {
      least.putIfAbsent(f.block(), p - 1);
      for (Certification.Entry<Apfloat> e : cert.entries(f)) {
        BigDecimal absErr = new BigDecimal(e.absErr().toString(true));
        BigDecimal scale = new BigDecimal(e.scale().toString(true));
        String what = f.at(e.layer()) + " (" + net.describe() + ", beta " + beta + "): abs_err " + absErr + ", max|v| "
            + scale + ", digits " + e.digits();
        if (absErr.signum() == 0) {
          assertThat(e.zero()).as(what).isTrue();
          assertThat(e.digits()).as(what).isEqualTo(p - 1);
        } else if (scale.compareTo(absErr) < 0) {
          assertThat(e.zero()).as(what).isTrue();
          assertThat(e.digits()).as(what).isZero();
        } else {
          assertThat(e.zero()).as(what).isFalse();
          int d = e.digits();
          assertThat(d).as(what).isBetween(0, p - 1);
          assertThat(scale.compareTo(absErr.scaleByPowerOfTen(d).multiply(slack))).as(what).isGreaterThanOrEqualTo(0);
          if (d < p - 1) {
            assertThat(scale.compareTo(absErr.scaleByPowerOfTen(d + 1))).as(what).isLessThan(0);
          }
          least.merge(f.block(), d, Math::min);
        }
      }
    }
    for (java.util.Map.Entry<String, Integer> b : least.entrySet()) {
      assertThat(cert.block(b.getKey()).digits()).as("block %s (%s, beta %s)", b.getKey(), net.describe(), beta)
          .isEqualTo(b.getValue());
    }
    assertThat(cert.minimumDigits()).isEqualTo(least.values().stream().min(Integer::compare).orElseThrow());
  }

  /**
   * The update block is eq. 6 itself: update.dW = -eta_W estimate.dW and likewise for the first-order
   * form (specs/oracle-format.md), entry by entry to the working precision (relative to the
   * largest entry: both are rank-one products of p-digit factors). A layer whose estimate is exactly
   * zero (an input x = 0 makes dW^1 = (e^1 / beta) x^T zero; seen on a 1-2-5-4 case) must have an
   * exactly zero update; at least one layer of each case must be nonzero, or the check is vacuous.
   */
  @Property(tries = 12)
  void updateIsMinusEtaTimesTheEstimate(@ForAll("cases") GoldenSuite.Case c, @ForAll("betas") String beta,
      @ForAll("etas") String etaW) throws Exception {
    NetworkFile net = GoldenSuite.build(c, null);
    BigDecimal eta = new BigDecimal(etaW);
    Oracle.Result r = Oracle.evaluate(net, new BigDecimal(beta), eta, Schema.FIELDS, DIGITS);
    boolean somethingToCompare = false;
    for (String name : new String[] {"dW", "dW_first_order"}) {
      Layers<Evaluation.Value<Apfloat[]>> update = r.values().get(field("update", name));
      Layers<Evaluation.Value<Apfloat[]>> estimate = r.values().get(field("estimate", name));
      for (int k = update.first(); k <= update.last(); k++) {
        BigDecimal[][] u = entries(update.at(k));
        BigDecimal[][] e = entries(estimate.at(k));
        BigDecimal scale = BigDecimal.ZERO;
        for (BigDecimal[] row : e) {
          for (BigDecimal v : row) {
            scale = scale.max(v.multiply(eta).abs());
          }
        }
        BigDecimal tol = scale.scaleByPowerOfTen((int) (5 - DIGITS));
        somethingToCompare |= scale.signum() > 0;
        for (int i = 0; i < u.length; i++) {
          for (int j = 0; j < u[i].length; j++) {
            BigDecimal diff = u[i][j].add(eta.multiply(e[i][j])).abs();
            assertThat(diff.compareTo(tol)).as("update.%s^%d[%d][%d] = %s, -eta estimate = %s (%s, beta %s, eta %s)", name,
                k, i, j, u[i][j], eta.multiply(e[i][j]).negate(), net.describe(), beta, etaW).isLessThanOrEqualTo(0);
          }
        }
      }
    }
    assertThat(somethingToCompare).as("%s: every estimate is zero, the check would be vacuous", net.describe())
        .isTrue();
  }

  private static Schema.Field field(String block, String name) {
    return Schema.FIELDS.stream().filter(f -> f.block().equals(block) && f.name().equals(name)).findFirst()
        .orElseThrow();
  }

  private static BigDecimal[][] entries(Evaluation.Value<Apfloat[]> v) {
    if (!(v instanceof Evaluation.RankOne<Apfloat[]> m)) {
      throw new AssertionError("expected a rank-one matrix, got " + v);
    }
    BigDecimal[][] out = new BigDecimal[m.left().length][m.right().length];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = new BigDecimal(m.left()[i].toString(true)).multiply(new BigDecimal(m.right()[j].toString(true)));
      }
    }
    return out;
  }

  /** max |written - truth| over the entries, exactly (matrices entry by entry, as written). */
  static BigDecimal maxError(Evaluation.Value<Apfloat[]> got, Evaluation.Value<Apfloat[]> truth, MathContext mc) {
    BigDecimal max = BigDecimal.ZERO;
    if (got instanceof Evaluation.Vec<Apfloat[]> g && truth instanceof Evaluation.Vec<Apfloat[]> t) {
      for (int i = 0; i < g.v().length; i++) {
        BigDecimal written = new BigDecimal(ResultWriter.decimal(g.v()[i]));
        max = max.max(written.subtract(new BigDecimal(t.v()[i].toString(true))).abs());
      }
    } else if (got instanceof Evaluation.RankOne<Apfloat[]> g && truth instanceof Evaluation.RankOne<Apfloat[]> t) {
      for (int i = 0; i < g.left().length; i++) {
        for (int j = 0; j < g.right().length; j++) {
          BigDecimal written = new BigDecimal(ResultWriter.entry(new BigDecimal(g.left()[i].toString(true)),
              new BigDecimal(g.right()[j].toString(true)), mc));
          BigDecimal exact = new BigDecimal(t.left()[i].toString(true)).multiply(new BigDecimal(t.right()[j].toString(true)));
          max = max.max(written.subtract(exact).abs());
        }
      }
    } else {
      throw new AssertionError("value kinds differ");
    }
    return max;
  }

  @Provide
  Arbitrary<GoldenSuite.Case> cases() {
    return OracleArbitraries.cases(3, 5);
  }

  @Provide
  Arbitrary<String> etas() {
    return Arbitraries.of("0.37", "2", "1e-3");
  }

  @Provide
  Arbitrary<String> betas() {
    return Arbitraries.of("0.1", "0.001", "1e-6", "-0.01");
  }
}
