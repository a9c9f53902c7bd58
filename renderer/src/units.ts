// The unit every length on screen carries. Parts are read in millimetres (OpenCASCADE converts STEP and IGES; BREP
// and STL carry no unit and are taken as millimetres), and sizes are asked in the part's unit; a mesh is written in
// the unit its job chose (mm unless --units said otherwise).
import type { JobResult, LengthUnit } from '../../src/contract/job';

export const PART_UNIT: LengthUnit = 'mm';

export const meshUnit = (j: Pick<JobResult, 'units' | 'settings'> | null | undefined): LengthUnit =>
  j?.units ?? j?.settings.units ?? 'mm';
