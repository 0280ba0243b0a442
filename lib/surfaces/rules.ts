import { z } from 'zod';

export const SURFACES = ['bar', 'supervision', 'extranet', 'other'] as const;
export const SurfaceSchema = z.enum(SURFACES);
export type Surface = z.infer<typeof SurfaceSchema>;

/**
 * A surface rule: a page is that surface when its host matches `hosts` and its path matches one
 * of `paths` (simple globs, `*` = any run of characters), or when one of `markers` (CSS
 * selectors) is present in the DOM. Rules are data so that delivery can override them by policy.
 */
export const SurfaceRuleSchema = z.object({
  surface: SurfaceSchema.exclude(['other']),
  hosts: z.array(z.string().min(1).max(253)).min(1),
  paths: z.array(z.string().min(1).max(500)).default(['/*']),
  markers: z.array(z.string().min(1).max(300)).default([]),
});
export type SurfaceRule = z.infer<typeof SurfaceRuleSchema>;
export const SurfaceRulesSchema = z.array(SurfaceRuleSchema).min(1).max(50);

/**
 * DOM markers of each surface, for surface detection when the URL is not conclusive (an embedded
 * bar under another host, a white-label host…). A page is that surface when ANY of its selectors
 * matches; each selector alone is specific to its surface.
 */
export const SURFACE_MARKERS: Record<'bar' | 'supervision' | 'extranet', string[]> = {
  bar: ['body[data-vm-interface="operateur"]', '#bandeau #statut-operateur', '#bandeau[data-code-statut] #statut-courant'],
  supervision: [
    'body[data-vm-interface="superviseur"]',
    '#operateur-selectionne #detail-operateur',
    'table#activite-operateurs[aria-describedby="aide-operateurs"]',
  ],
  extranet: ['body[data-vm-interface="administrateur"]', '#menu-principal a[data-onglet="types-pauses"]', '#contenu[data-vue] #message-erreur'],
};

/** Axialys defaults, from shared/docs/axialys-surfaces.md. Order matters: first match wins. */
export const DEFAULT_SURFACE_RULES: SurfaceRule[] = [
  { surface: 'bar', hosts: ['voice-management.axialys.com'], paths: ['/operateurs/*', '/operateur/*'], markers: SURFACE_MARKERS.bar },
  { surface: 'supervision', hosts: ['voice-management.axialys.com'], paths: ['/superviseurs/*', '/supervision/*'], markers: SURFACE_MARKERS.supervision },
  { surface: 'extranet', hosts: ['admin.axialys.net'], paths: ['/*'], markers: SURFACE_MARKERS.extranet },
];

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

/** The surface a URL alone shows (first rule whose host and path match), else `other`. */
export function surfaceOfUrl(url: string, rules: readonly SurfaceRule[] = DEFAULT_SURFACE_RULES): Surface {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'other';
  }
  for (const r of rules) {
    if (r.hosts.some((h) => glob(h, u.hostname)) && r.paths.some((p) => glob(p, u.pathname))) return r.surface;
  }
  return 'other';
}
