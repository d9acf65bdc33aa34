package ghostunits.units;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.checkerframework.checker.units.UnitsRelations;
import org.checkerframework.checker.units.UnitsRelationsTools;
import org.checkerframework.framework.type.AnnotatedTypeMirror;

/**
 * How this project's units combine under * and /: time / time is {@link Dimensionless}, a pure
 * number keeps the unit of what it scales. Everything else is left to the checker (null), which
 * types it as mixed units and rejects it wherever a unit is expected.
 */
public final class GhostUnitsRelations implements UnitsRelations {
  private @Nullable AnnotationMirror time;
  private @Nullable AnnotationMirror pure;

  @Override
  public UnitsRelations init(ProcessingEnvironment env) {
    time = UnitsRelationsTools.buildAnnoMirrorWithNoPrefix(env, SimTime.class.getCanonicalName());
    pure = UnitsRelationsTools.buildAnnoMirrorWithNoPrefix(env, Dimensionless.class.getCanonicalName());
    return this;
  }

  private static boolean is(AnnotatedTypeMirror t, @Nullable AnnotationMirror unit) {
    return unit != null && t.hasPrimaryAnnotation(unit);
  }

  @Override
  public @Nullable AnnotationMirror multiplication(AnnotatedTypeMirror l, AnnotatedTypeMirror r) {
    if (is(l, pure) && is(r, pure)) {
      return pure;
    }
    if ((is(l, pure) && is(r, time)) || (is(l, time) && is(r, pure))) {
      return time;
    }
    return null;
  }

  @Override
  public @Nullable AnnotationMirror division(AnnotatedTypeMirror l, AnnotatedTypeMirror r) {
    if ((is(l, time) && is(r, time)) || (is(l, pure) && is(r, pure))) {
      return pure;
    }
    if (is(l, time) && is(r, pure)) {
      return time;
    }
    return null;
  }
}
