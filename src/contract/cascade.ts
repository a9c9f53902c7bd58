// The adaptive cascade's rules, shared by the engine that applies them and the UI that states them.
export const CASCADE_RULES = {
  /** Stop an attempt running this many times the median finished attempt's wall time. */
  timeFactor: 20,
  /** ...but never before this many seconds (Gmsh's start-up dominates tiny parts). */
  minTimeSec: 3,
  /** Stop an attempt heading for this many times the default's tetrahedra... */
  elementFactor: 10,
  /** ...and for more than this many (a coarse default of a few hundred tets would otherwise forbid any refinement). */
  minElements: 50_000,
  /**
   * First-acceptable: once an attempt meets the targets, earlier attempts still running get this many times the
   * acceptable attempt's own wall time more, then they are stopped and the acceptable one wins.
   */
  waitFactor: 1,
};

/** The rules in one sentence, as the Attempts tab and the docs state them. */
export const CASCADE_RULE_TEXT =
  `Adaptive cascade: an attempt is stopped once it runs ${CASCADE_RULES.timeFactor}× the median finished attempt's time (never before ${CASCADE_RULES.minTimeSec} s) ` +
  `or heads for ${CASCADE_RULES.elementFactor}× the tetrahedra of default (and over ${CASCADE_RULES.minElements.toLocaleString('en-US')}); once an attempt meets the targets, nothing new starts and earlier attempts ` +
  `still running get ${CASCADE_RULES.waitFactor}× its time more; a few bad elements get a targeted repair (refine around them, then the 3D optimisers; kept only if it beats the mesh it repaired); ` +
  `if nothing met the targets, the stopped attempt heading for the fewest tetrahedra re-runs once without the element budget.`;
