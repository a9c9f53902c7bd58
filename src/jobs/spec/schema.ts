// The shape of a job request from outside, checked once at the IPC/harness edge (src/workbench/validate.ts) before
// the engine sees it; what the request means is checked by src/jobs/spec/check.ts for every shell. Kept apart so the
// CLI, which checks its own flags, does not load zod at start-up (saved settings load it lazily when one is read:
// src/util/settings.ts).
import { z } from 'zod';
import {
  EXPORT_FORMATS,
  LENGTH_UNITS,
  MAX_WAIT_SEC,
  SIZE_FACTOR_RANGE,
  type ExportFormat,
  type LengthUnit,
} from '../../contract/job';
import { reservedGroupProblem } from '../../contract/groups';
import { ALGORITHMS_2D, ALGORITHMS_3D, OPTIMIZERS } from '../../contract/algorithms';
import { GROUP_NAME } from '../../model/group-names';

const names = <T extends readonly { name: string }[]>(list: T) =>
  list.map((e) => e.name) as unknown as [T[number]['name'], ...T[number]['name'][]];

export const pathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\0'), 'path contains a NUL byte');
export const backendSchema = z.enum(['local', 'modal', 'auto']);

export const meshSettingsSchema = z
  .object({
    strategy: z.string().min(1).max(512).nullable(), // one attempt, or a comma-separated list
    policy: z.enum(['first-acceptable', 'best']),
    sizeFactor: z.number().finite().min(SIZE_FACTOR_RANGE.min).max(SIZE_FACTOR_RANGE.max),
    elementOrder: z.union([z.literal(1), z.literal(2)]),
    jobs: z.number().int().min(0).max(256),
    targets: z
      .object({
        minSicn: z.number().finite().min(-1).max(1),
        minDihedral: z.number().finite().gt(0).lt(70.6).optional(),
        maxAspect: z.number().finite().min(1).optional(),
      })
      .strict(),
    attemptTimeoutSec: z.number().finite().positive().max(MAX_WAIT_SEC),
    timeBudgetSec: z.number().finite().positive().max(MAX_WAIT_SEC).nullable().optional(),
    cascade: z.enum(['adaptive', 'plain']).optional(),
    learnedOrder: z.boolean().optional(),
    repair: z.boolean().optional(),
    sizing: z
      .object({
        sizeMin: z.number().finite().positive().optional(),
        sizeMax: z.number().finite().positive().optional(),
        local: z
          .array(z.object({ target: z.string().min(1).max(200), size: z.number().finite().positive() }).strict())
          .max(100)
          .optional(),
        growth: z.number().finite().gt(1).max(10).optional(),
        curvature: z.number().int().min(3).max(1000).optional(),
        targetElements: z.number().int().min(100).max(100_000_000).optional(),
        fragment: z.boolean().optional(),
      })
      .strict()
      .optional(),
    groups: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(
                GROUP_NAME,
                'a group name is a letter or _ followed by letters, digits or _, at most 64 characters',
              )
              .superRefine((name, ctx) => {
                const reserved = reservedGroupProblem(name);
                if (reserved) ctx.addIssue({ code: 'custom', message: `"${name}": ${reserved}` });
              }),
            dim: z.union([z.literal(2), z.literal(3)]),
            tags: z.array(z.number().int().positive()).min(1).max(100000),
          })
          .strict(),
      )
      .max(1000)
      .optional(),
    layers: z
      .array(
        z
          .object({
            target: z.string().min(1).max(200),
            count: z.number().int().min(1).max(50),
            first: z.number().finite().positive(),
            growth: z.number().finite().min(1).max(3),
          })
          .strict(),
      )
      .max(100)
      .optional(),
    units: z.enum(LENGTH_UNITS as [LengthUnit, ...LengthUnit[]]).optional(),
    exports: z
      .array(z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]]))
      .max(EXPORT_FORMATS.length)
      .optional(),
    algorithms: z
      .object({
        algorithm2d: z.enum(names(ALGORITHMS_2D)).optional(),
        algorithm3d: z.enum(names(ALGORITHMS_3D)).optional(),
        optimizer: z.enum(names(OPTIMIZERS)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const jobSpecSchema = z
  .object({
    inputPath: pathSchema,
    settings: meshSettingsSchema,
    backend: backendSchema,
    outDir: pathSchema.optional(),
  })
  .strict();
