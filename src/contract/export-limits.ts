// Which meshes each export format can be written from, read from the one table of formats (EXPORT_FORMAT_INFO's
// `orders`). Behind three checks: a job asking for an export its mesh cannot be written as is refused before meshing
// (src/jobs/spec/check.ts), the export step refuses it for a mesh that exists (src/export/export-mesh.ts), and the
// desktop greys it out. Every format takes every length unit: Gmsh scales the mesh itself before anything is written.
import { EXPORT_FORMAT_INFO, type ElementOrder, type ExportFormat } from './job';

/**
 * Why `format` cannot be written from a mesh of this element order, with boundary layers (prisms, pyramids) or
 * without, or null when it can.
 */
export function exportRefusal(format: ExportFormat, order: ElementOrder, layered = false): string | null {
  const info = EXPORT_FORMAT_INFO[format];
  if (!(info.orders as readonly ElementOrder[]).includes(order))
    return `${info.label} takes linear elements only: export ${format} from a linear mesh (--order 1)`;
  if (layered && !info.layered)
    return `${info.label} is written with tetrahedra only, not yet with boundary layers' prisms and pyramids: export ${format} without --layers, or msh22 or unv for a layered mesh`;
  return null;
}
