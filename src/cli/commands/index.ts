// Every CLI command module; each exports register(program). Add a line per new command.
import type { Command } from 'commander';
import * as bench from './bench';
import * as compare from './compare';
import * as doctor from './doctor';
import * as faces from './faces';
import * as jobs from './jobs';
import * as mesh from './mesh';
import * as cloudLocal from './cloud-local';
import * as resume from './resume';

export const COMMANDS: { register(program: Command): void }[] = [
  mesh,
  faces,
  jobs,
  compare,
  doctor,
  cloudLocal,
  resume,
  bench,
];
