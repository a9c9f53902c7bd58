// Payload validation at the edge (Electron IPC handlers and the harness bridge): every argument list is parsed
// here before the service sees it, so a compromised or buggy renderer cannot hand the engine odd shapes.
import { z } from 'zod';
import { backendSchema, jobSpecSchema, meshSettingsSchema, pathSchema } from '../jobs/spec/schema';
import { MAX_IMPORT_BYTES, WORKBENCH_METHODS, type WorkbenchArgs, type WorkbenchMethod } from '../contract/api';
import { EXPORT_FORMATS, LENGTH_UNITS, type ExportFormat, type LengthUnit } from '../contract/job';

const path = pathSchema;
const jobId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'not a job id');
const backend = backendSchema;

const shortText = z.string().max(2048);
const settingsPatchSchema = z
  .object({
    compute: backend.optional(),
    // The page may only clear the saved Gmsh path; choosing one is main's native dialog (pickGmsh).
    gmshPath: z.null().optional(),
    defaults: meshSettingsSchema.optional(),
    ec2BaselineUsdPerHour: z.number().finite().min(0).max(1000).optional(),
    persistKeys: z.boolean().optional(),
    s3: z
      .object({
        bucket: shortText.optional(),
        region: shortText.optional(),
        endpoint: shortText.nullable().optional(),
        profile: shortText.nullable().optional(),
        accessKeyId: shortText.optional(),
        secretAccessKey: shortText.optional(),
      })
      .strict()
      .optional(),
    modal: z
      .object({
        url: shortText.nullable().optional(),
        key: shortText.optional(),
        secret: shortText.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'not a plain file name');
const bytes = z
  .instanceof(Uint8Array)
  .refine((b) => b.byteLength <= MAX_IMPORT_BYTES, `file too large (over ${MAX_IMPORT_BYTES / 2 ** 20} MiB)`);

const none = z.tuple([]);
export const argSchemas: { [M in WorkbenchMethod]: z.ZodType<WorkbenchArgs<M>> } = {
  appInfo: none,
  doctor: none,
  pickFiles: none,
  pickGmsh: none,
  importFile: z.tuple([fileName, bytes]),
  recentFiles: none,
  demoParts: none,
  catalogue: none,
  preview: z.tuple([path]),
  // No outDir from the page: main chooses the output folder.
  submitJob: z.tuple([jobSpecSchema.omit({ outDir: true }).strict()]),
  cancelJob: z.tuple([jobId]),
  stopJob: z.tuple([jobId]),
  rerunJob: z.tuple([jobId]),
  listJobs: none,
  getJob: z.tuple([jobId]),
  jobLog: z.tuple([jobId, z.number().int().min(0), z.number().int().min(1).max(100_000)]),
  jobMesh: z.tuple([jobId]),
  jobMeshSkin: z.tuple([jobId]),
  compare: z.tuple([jobId, jobId]),
  getSettings: none,
  saveSettings: z.tuple([settingsPatchSchema]),
  testConnection: z.union([z.tuple([]), z.tuple([settingsPatchSchema])]),
  breaker: none,
  resetBreaker: none,
  partGroups: z.tuple([path]),
  savePartGroups: z.tuple([path, meshSettingsSchema.shape.groups.unwrap()]),
  exportJob: z.tuple([
    jobId,
    z
      .array(z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]]))
      .min(1)
      .max(EXPORT_FORMATS.length),
    z
      .object({
        groups: z.enum(['all', 'named']).optional(),
        units: z.enum(LENGTH_UNITS as [LengthUnit, ...LengthUnit[]]).optional(),
        folder: path.optional(),
      })
      .strict()
      .optional(),
  ]),
  pickFolder: none,
  showJobFolder: z.tuple([jobId]),
  deleteJob: z.tuple([jobId]),
};

class ValidationError extends Error {
  readonly code = 'invalid-request';
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

export function isWorkbenchMethod(m: unknown): m is WorkbenchMethod {
  return typeof m === 'string' && (WORKBENCH_METHODS as readonly string[]).includes(m);
}

/** Parses `args` for `method`, or throws a ValidationError that says which argument is wrong and why. */
export function validateArgs<M extends WorkbenchMethod>(method: M, args: unknown): WorkbenchArgs<M> {
  if (!isWorkbenchMethod(method)) throw new ValidationError(`unknown operation ${String(method)}`);
  if (!Array.isArray(args)) throw new ValidationError(`${method}: arguments must be a list`);
  const r = argSchemas[method].safeParse(args);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first.path.length ? ` (argument ${first.path.join('.')})` : '';
    throw new ValidationError(`${method}: ${first.message}${where}`);
  }
  return r.data as WorkbenchArgs<M>;
}
