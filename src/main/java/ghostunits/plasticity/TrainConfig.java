package ghostunits.plasticity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import ghostunits.dynamics.TimeStep;
import ghostunits.model.Feedback;
import ghostunits.units.SimTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of the paper's Table 1 as a training run: architecture, dynamics, plasticity and the
 * paper's accuracies. Read from JSON (configs/table1/*.json, fields documented in
 * configs/table1/README.md); unknown fields are an error, so a typo cannot be silently ignored.
 *
 * @param model "MA" (Model A, batch training), "MA'" (Model A', Table 3: every rule in both phases,
 *     increments clipped to [-2, 2]) or "MB" (Model B, fast ghost cancellation)
 * @param widths n_0, ..., n_N
 * @param ghosts m_k per hidden layer (MA: must equal n_{k+1})
 * @param dt Euler time step (model time)
 * @param tau time constant (model time); the Euler step is h = dt / tau
 * @param init half-width a of the uniform initialisation U(-a, a) of every weight
 * @param freeSteps Euler steps of the free phase (faithful path)
 * @param nudgedSteps Euler steps of the weakly-clamped phase (faithful path)
 * @param beta nudging strength of the weakly-clamped phase
 * @param batch mini-batch size (the update is the mean over the batch)
 * @param epochs epochs of the paper's run
 * @param etaW one learning rate per W^k, k = 1..N
 * @param etaGhost MA, MA': the lateral ghost rates, eta_GP = eta_PG of eq. 4-5 (unused when
 *     ghosts are "converged"); MB: the fast Omega rate of eq. 15 (unused by the least-change fast fit)
 * @param divideByBeta whether eq. 6 is dW = (eta / beta) (...) or eta (...)
 * @param ghostMode "converged" (MA: Gamma^k = W^{k+1}, Omega^k = B^k after every update, an
 *     idealisation), "learned" (MA, MA': eq. 4-5 in the free phase, MA' also in the weakly-clamped
 *     one; one hidden layer) or "fast-cancel" (MB: Omega fitted per example, eq. 15's fixed point)
 * @param paperTrain the paper's train accuracy (%), for the report
 * @param paperTest the paper's test accuracy (%), for the report
 * @param notes free text: what the garbled tables left unclear and what this config chose
 */
public record TrainConfig(
    String name,
    String model,
    Feedback feedback,
    int[] widths,
    int[] ghosts,
    @SimTime double dt,
    @SimTime double tau,
    double init,
    int freeSteps,
    int nudgedSteps,
    double beta,
    int batch,
    int epochs,
    double[] etaW,
    double[] etaGhost,
    boolean divideByBeta,
    String ghostMode,
    double paperTrain,
    double paperTest,
    String notes) {

  public static final String MA = "MA";
  public static final String MB = "MB";
  /** Model A' (paper Table 3): eq. 4, 5 and 6 in both phases, increments clipped. */
  public static final String MA_PRIME = "MA'";
  public static final String CONVERGED = "converged";
  public static final String LEARNED = "learned";
  public static final String FAST_CANCEL = "fast-cancel";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  public static TrainConfig load(Path file) {
    TrainConfig c;
    try {
      c = JSON.readValue(Files.readAllBytes(file), TrainConfig.class);
    } catch (MismatchedInputException e) {
      throw new TrainingException("config " + file + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new TrainingException("config " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TrainingException("config " + file + " does not exist", e);
    } catch (IOException e) {
      throw new TrainingException("cannot read config " + file + ": " + e.getMessage(), e);
    }
    c.validate(file.toString());
    return c;
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a config always serialises", e);
    }
  }

  /** N, the number of layers above the input. */
  public int depth() {
    return widths.length - 1;
  }

  /** Model A or A' (m_k = n_{k+1} ghosts per hidden layer, mini-batches). */
  @JsonIgnore
  public boolean isModelA() {
    return MA.equals(model) || MA_PRIME.equals(model);
  }

  @JsonIgnore
  public boolean isModelAPrime() {
    return MA_PRIME.equals(model);
  }

  /** Model A with Gamma^k = W^{k+1}, Omega^k = B^k at all times (the same matrices). */
  public boolean convergedGhosts() {
    return isModelA() && CONVERGED.equals(ghostMode);
  }

  /** Model A or A' learning its ghosts with eq. 4-5. */
  public boolean learnsGhosts() {
    return isModelA() && LEARNED.equals(ghostMode);
  }

  /** The Euler step h = dt / tau, units-checked. */
  public TimeStep timeStep() {
    return TimeStep.of(dt, tau);
  }

  /** The factor in front of the bracket of eq. 6 for W^k: eta_k / beta, or eta_k. */
  public double weightFactor(int k) {
    return divideByBeta ? etaW[k - 1] / beta : etaW[k - 1];
  }

  /**
   * The fields that decide what a run learns in which this config differs from {@code other}, each
   * as "field a vs b" (this first); empty when a run trained under one may continue under the other.
   * Not compared: the epoch count (a run is continued to more epochs anyway), the paper's
   * accuracies and the notes. Numbers are compared bitwise.
   */
  public List<String> trainingDifferences(TrainConfig other) {
    List<String> d = new ArrayList<>();
    differ(d, "name", name, other.name);
    differ(d, "model", model, other.model);
    differ(d, "feedback", feedback, other.feedback);
    differ(d, "widths", Arrays.toString(widths), Arrays.toString(other.widths));
    differ(d, "ghosts", Arrays.toString(ghosts), Arrays.toString(other.ghosts));
    differ(d, "dt", dt, other.dt);
    differ(d, "tau", tau, other.tau);
    differ(d, "init", init, other.init);
    differ(d, "freeSteps", freeSteps, other.freeSteps);
    differ(d, "nudgedSteps", nudgedSteps, other.nudgedSteps);
    differ(d, "beta", beta, other.beta);
    differ(d, "batch", batch, other.batch);
    if (!Arrays.equals(etaW, other.etaW)) {
      d.add("etaW " + Arrays.toString(etaW) + " vs " + Arrays.toString(other.etaW));
    }
    if (!Arrays.equals(etaGhost, other.etaGhost)) {
      d.add("etaGhost " + Arrays.toString(etaGhost) + " vs " + Arrays.toString(other.etaGhost));
    }
    differ(d, "divideByBeta", divideByBeta, other.divideByBeta);
    differ(d, "ghostMode", ghostMode, other.ghostMode);
    return d;
  }

  private static void differ(List<String> d, String field, Object a, Object b) {
    if (!a.equals(b)) {
      d.add(field + " " + a + " vs " + b);
    }
  }

  /** Checks every field against the others; the message names the config and the field. */
  public void validate(String where) {
    String at = "config " + where + " (" + name + "): ";
    if (!MA.equals(model) && !MA_PRIME.equals(model) && !MB.equals(model)) {
      throw new TrainingException(at + "model is \"" + model + "\", expected \"MA\", \"MA'\" or \"MB\"");
    }
    if (widths.length < 3) {
      throw new TrainingException(at + "widths " + Arrays.toString(widths) + " need an input, a hidden and an output layer");
    }
    for (int n : widths) {
      if (n < 1) {
        throw new TrainingException(at + "widths " + Arrays.toString(widths) + " has a layer with no unit");
      }
    }
    int n = depth();
    if (ghosts.length != n - 1) {
      throw new TrainingException(at + "ghosts " + Arrays.toString(ghosts) + " must give one count per hidden layer ("
          + (n - 1) + ")");
    }
    if (etaW.length != n) {
      throw new TrainingException(at + "etaW " + Arrays.toString(etaW) + " must give one rate per W^k (" + n + ")");
    }
    if (isModelA()) {
      for (int k = 1; k < n; k++) {
        if (ghosts[k - 1] != widths[k + 1]) {
          throw new TrainingException(at + "Model A needs m_k = n_{k+1}: ghosts[" + (k - 1) + "] = " + ghosts[k - 1]
              + " but n_" + (k + 1) + " = " + widths[k + 1]);
        }
      }
      if (isModelAPrime() ? !LEARNED.equals(ghostMode) : !CONVERGED.equals(ghostMode) && !LEARNED.equals(ghostMode)) {
        throw new TrainingException(at + "ghostMode \"" + ghostMode + "\" is not implemented for " + model + "; use "
            + (isModelAPrime() ? "" : "\"" + CONVERGED + "\" or ") + "\"" + LEARNED + "\"");
      }
      if (isModelAPrime() && !divideByBeta) {
        throw new TrainingException(at + "MA' reads eq. 6 as eta_W / beta_nudge in both phases (the free phase has "
            + "beta 0; specs/model.md 5.2): divideByBeta must be true");
      }
      if (LEARNED.equals(ghostMode)) {
        if (n != 2) {
          throw new TrainingException(at + "learned ghosts are implemented for one hidden layer only (the fast "
              + "equilibrium solve), widths " + Arrays.toString(widths));
        }
        if (etaGhost.length != n - 1) {
          throw new TrainingException(at + "etaGhost " + Arrays.toString(etaGhost)
              + " must give one lateral rate per hidden layer (" + (n - 1) + ")");
        }
        for (double eta : etaGhost) {
          if (!(eta >= 0) || !Double.isFinite(eta)) {
            throw new TrainingException(at + "etaGhost " + Arrays.toString(etaGhost) + " has a rate that is not a finite"
                + " number >= 0: " + eta);
          }
        }
      }
    } else {
      if (!FAST_CANCEL.equals(ghostMode)) {
        throw new TrainingException(at + "ghostMode \"" + ghostMode + "\" is not implemented for MB; use \""
            + FAST_CANCEL + "\"");
      }
      if (n != 2) {
        throw new TrainingException(at + "Model B is implemented for one hidden layer only, widths "
            + Arrays.toString(widths));
      }
      if (batch != 1) {
        throw new TrainingException(at + "Model B fits its ghosts example by example: batch must be 1, got " + batch);
      }
    }
    if (!(beta > 0) || !Double.isFinite(beta)) {
      throw new TrainingException(at + "beta must be > 0, got " + beta);
    }
    if (batch < 1 || epochs < 0 || freeSteps < 0 || nudgedSteps < 0) {
      throw new TrainingException(at + "batch " + batch + ", epochs " + epochs + ", steps " + freeSteps + "/"
          + nudgedSteps + ": batch must be >= 1, the others >= 0");
    }
    if (!(init > 0)) {
      throw new TrainingException(at + "init half-width must be > 0, got " + init);
    }
    try {
      timeStep();
    } catch (IllegalArgumentException e) {
      throw new TrainingException(at + "dt " + dt + " and tau " + tau + ": " + e.getMessage(), e);
    }
  }
}
