package ghostunits.planted;

import ghostunits.units.Dimensionless;
import ghostunits.units.SimTime;

/** Planted defect: adding a time to a pure number must fail the build with a Units Checker error. */
final class PlantedTimePlusDimensionless {
  static @SimTime double later(@SimTime double dt, @Dimensionless double h) {
    @SimTime double t = dt + h;
    return t;
  }
}
