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
 * A checked pure number: the Euler step h = dt / tau, the nudging strength beta, learning rates
 * (per update, not per unit of time). Unlike an unannotated number (which the Units Checker treats
 * as "unknown"), a value of this type cannot silently receive a {@link SimTime}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE_USE, ElementType.TYPE_PARAMETER})
@SubtypeOf(UnknownUnits.class)
@UnitsRelations(GhostUnitsRelations.class)
public @interface Dimensionless {}
