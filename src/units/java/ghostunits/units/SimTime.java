package ghostunits.units;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.checkerframework.checker.units.qual.UnitsRelations;
import org.checkerframework.checker.units.qual.UnknownUnits;
import org.checkerframework.framework.qual.SubtypeOf;

/**
 * Model time: the unit of the time constant tau and the Euler step dt. The paper gives dt and tau
 * as bare numbers (0.001 and 0.01), so this is its own base unit rather than seconds. Only the
 * ratio h = dt / tau enters the dynamics, and {@link GhostUnitsRelations} types it
 * {@link Dimensionless}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE_USE, ElementType.TYPE_PARAMETER})
@SubtypeOf(UnknownUnits.class)
@UnitsRelations(GhostUnitsRelations.class)
public @interface SimTime {}
