package ghostunits.planted;

/** Planted defect: must fail the build with a Nullness Checker error. */
final class PlantedNullDereference {
  static int length() {
    String s = null;
    return s.length();
  }
}
