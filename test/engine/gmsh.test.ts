// The Gmsh runner: log parsing, capabilities, locating the executable, the watchdog and cancellation.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gmshInfo, parseGmshInfo } from '../../src/gmsh/info';
import { findGmsh, platformDir } from '../../src/gmsh/locate';
import { failedSurfaces, gmshErrors, parseGmshLine } from '../../src/gmsh/log-parse';
import { runGmsh } from '../../src/gmsh/run';
import { ConfigError } from '../../src/util/errors';
import { isAlive } from '../../src/util/proc';
import { repoRoot, demoPart } from '../helpers/paths';

const KURBELWELLE_LOG = [
  'Info    : [ 40%] Meshing surface 8 (BSpline surface, Frontal-Delaunay)',
  'Info    : Done meshing 2D (Wall 0.0371892s, CPU 0.037183s)',
  'Error   : PLC Error:  A segment and a facet intersect at point',
  'Error   : Invalid boundary mesh (segment-facet intersection) on surface 8, intersection (2.40914,17.5139,2.26492)',
  'Error   : No elements in volume 1 ',
  'Error   : ------------------------------',
  'Error   : Mesh generation error summary',
  'Error   :     0 warnings',
  'Error   :     3 errors',
  'Error   : Check the full log for details',
];

describe('Gmsh log parsing', () => {
  it('reads levels, progress and per-dimension wall times', () => {
    expect(parseGmshLine(KURBELWELLE_LOG[0])).toMatchObject({ level: 'info', percent: 40 });
    expect(parseGmshLine(KURBELWELLE_LOG[1]).done).toEqual({ dim: 2, seconds: 0.0371892 });
    expect(parseGmshLine('Warning : Projection of point failed').level).toBe('warning');
  });

  it("keeps Gmsh's own error words without the summary banner, and finds the surfaces they name", () => {
    const errors = gmshErrors(KURBELWELLE_LOG);
    expect(errors).toEqual([
      'PLC Error:  A segment and a facet intersect at point',
      'Invalid boundary mesh (segment-facet intersection) on surface 8, intersection (2.40914,17.5139,2.26492)',
      'No elements in volume 1',
    ]);
    expect(failedSurfaces(errors)).toEqual([8]);
  });
});

describe('Gmsh capabilities and location', () => {
  it('parses the build options of gmsh -info', () => {
    const info = parseGmshInfo(
      '/x/gmsh',
      'Version       : 4.11.1\nBuild OS      : Linux64\nBuild date    : 20221221\nBuild host    : ci\n' +
        'Build options : 64Bit ALGLIB[contrib] Hxt Mmg Netgen OpenCASCADE Parser\nOCC version   : 7.6.3\n',
    );
    expect(info).toEqual({
      path: '/x/gmsh',
      version: '4.11.1',
      build: 'Linux64 20221221 ci OCC 7.6.3',
      capabilities: { openCascade: true, hxt: true, netgen: true, mmg: true },
    });
    // Without the build fields the build is 'unknown', so two unknown builds never count as the same one.
    expect(parseGmshInfo('/x/gmsh', 'Version : 4.8.4\n').build).toBe('unknown');
  });

  it('reads the real Gmsh on this machine', async () => {
    const info = await gmshInfo(findGmsh().path);
    expect(info.version).toMatch(/^4\./);
    expect(info.capabilities.openCascade).toBe(true);
  });

  it('prefers MESHBENCH_GMSH, then a bundled copy, then PATH, and says what to do when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-locate-'));
    const fake = join(dir, 'my gmsh');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findGmsh({ env: { MESHBENCH_GMSH: fake } })).toEqual({ path: fake, source: 'env' });
    expect(() => findGmsh({ env: { MESHBENCH_GMSH: join(dir, 'nope') } })).toThrow(/not an executable file/);

    const res = join(dir, 'resources');
    mkdirSync(join(res, 'gmsh', platformDir()), { recursive: true });
    const bundled = join(res, 'gmsh', platformDir(), process.platform === 'win32' ? 'gmsh.exe' : 'gmsh');
    writeFileSync(bundled, '#!/bin/sh\n');
    chmodSync(bundled, 0o755);
    expect(findGmsh({ env: { PATH: '/usr/bin' }, resourcesPath: res })).toEqual({ path: bundled, source: 'bundled' });

    const pathDir = join(dir, 'bin');
    mkdirSync(pathDir);
    writeFileSync(join(pathDir, 'gmsh'), '#!/bin/sh\n');
    chmodSync(join(pathDir, 'gmsh'), 0o755);
    expect(findGmsh({ env: { PATH: pathDir } }).source).toBe('path');
    expect(() => findGmsh({ env: { PATH: join(dir, 'empty') } })).toThrow(ConfigError);
    try {
      findGmsh({ env: { PATH: join(dir, 'empty') } });
    } catch (e) {
      expect((e as ConfigError).hint).toMatch(/apt-get install gmsh/);
      expect((e as ConfigError).exitCode).toBe(4);
    }
  });
});

describe('running Gmsh', () => {
  const slowArgv = () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mb-run-')), 'slow.msh');
    return ['gmsh', join(repoRoot, 'resources/demo/bracket.step'), '-3', '-nt', '1', '-clscale', '0.1', '-o', out];
  };

  it('streams lines with progress and exits cleanly', async () => {
    const pcts: number[] = [];
    const out = join(mkdtempSync(join(tmpdir(), 'mb-run-')), 'ok.msh');
    const r = await runGmsh(['gmsh', demoPart('bracket.step'), '-3', '-nt', '1', '-o', out], {
      timeoutMs: 60_000,
      onLine: (l) => l.percent !== null && pcts.push(l.percent),
    });
    expect(r.exitCode).toBe(0);
    expect(pcts.length).toBeGreaterThan(5);
    expect(Object.keys(r.dimSeconds).sort()).toEqual(['1', '2', '3']);
  });

  it('the watchdog stops a Gmsh that runs too long', async () => {
    let pid = 0;
    const r = await runGmsh(slowArgv(), { timeoutMs: 800, onSpawn: (p) => (pid = p) });
    expect(r.timedOut).toBe(true);
    expect(r.wallMs).toBeLessThan(10_000);
    expect(isAlive(pid)).toBe(false);
  });

  it('cancel ends the whole process tree', async () => {
    const ac = new AbortController();
    let pid = 0;
    const p = runGmsh(slowArgv(), { timeoutMs: 60_000, signal: ac.signal, onSpawn: (x) => (pid = x) });
    setTimeout(() => ac.abort(), 700);
    const r = await p;
    expect(r.cancelled).toBe(true);
    expect(isAlive(pid)).toBe(false);
  });

  it('a missing executable is a failed start, not a crash', async () => {
    const r = await runGmsh(['/nonexistent/gmsh', 'x.step'], { timeoutMs: 5000 });
    expect(r.exitCode === 0).toBe(false);
  });
});
