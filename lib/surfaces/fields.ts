import { z } from 'zod';
import type { Surface } from './rules';

/**
 * What Témoin reads from the DOM of each Axialys surface (shared/docs/axialys-surfaces.md §3–5, §10),
 * as data: a spec per surface maps field names to CSS selectors and a way to read them, and one
 * generic engine (`extract.ts`) interprets it. The DOM contract is the one of the demo surfaces
 * (`dev/surfaces/README.md`, "DOM selectors").
 *
 * This module is pure (zod only): it runs in the content script and in unit tests.
 */

/** Longest extracted string, in UTF-16 code units, ellipsis included. */
export const MAX_STRING = 200;
/** Most rows a list field returns. */
export const MAX_ROWS = 30;

// ------------------------------------------------------------------ The spec language

/**
 * How a value is read from the element a selector found:
 * - `text`: its text (like textContent, but without script/style/template text and with a space
 *   at element boundaries), trimmed and whitespace-collapsed; placeholder text such as "—" or "…"
 *   reads as null;
 * - `number`: its text as a number ("1 234", "12,5"); anything else is null;
 * - `seconds`: its text as a duration ("02:05", "1:02:05", "4 min 32 s", "28 s") in seconds;
 * - `value`: the `value` property of a form control (input, select, textarea);
 * - `present`: whether the selector matched (always a boolean, never null);
 * - `attr:<name>`, `num-attr:<name>`, `bool-attr:<name>`: an attribute, as a string, a number,
 *   or a boolean ("true"/"false", anything else is null).
 */
const AttrName = z.string().regex(/^[a-zA-Z_][-a-zA-Z0-9_.]{0,99}$/);
export const ReadSchema = z.union([
  z.enum(['text', 'number', 'seconds', 'value', 'present']),
  z.templateLiteral(['attr:', AttrName]),
  z.templateLiteral(['num-attr:', AttrName]),
  z.templateLiteral(['bool-attr:', AttrName]),
]);
export type Read = z.infer<typeof ReadSchema>;

const Selector = z.string().min(1).max(300);
const FieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const Pattern = z.string().min(1).max(200).refine(compiles, 'invalid regular expression');

/** One place to read a value. */
export interface SourceSpec {
  /** CSS selector, relative to the enclosing scope (first match). Absent: the scope element itself. */
  selector?: string | undefined;
  read: Read;
  /**
   * A regular expression (flag `u`) applied to the string read, before any conversion to a number:
   * the value becomes its first group (or the whole match), null when it does not match.
   * Not used with `present` and `bool-attr:`.
   */
  pattern?: string | undefined;
}

export interface FieldSpec extends SourceSpec {
  /** Other places to read it, tried in order while the value is still null. */
  fallback?: SourceSpec[] | undefined;
  /** Strings only: the accepted values; any other value reads as null. */
  oneOf?: string[] | undefined;
}

export const SourceSpecSchema: z.ZodType<SourceSpec> = z.strictObject({
  selector: Selector.optional(),
  read: ReadSchema,
  pattern: Pattern.optional(),
});

export interface ObjectSpec {
  kind: 'object';
  /** The object is null unless this selector matches within the enclosing scope. */
  when?: string | undefined;
  /** Fields are read inside the first element this selector matches; the object is null when none does. Absent: the enclosing scope. */
  scope?: string | undefined;
  fields: Record<string, NodeSpec>;
}

export interface ListSpec {
  kind: 'list';
  /** One row per element matched (document order); each row is the scope of its fields. */
  rows: string;
  /** At most this many rows (default and ceiling: MAX_ROWS). */
  max?: number | undefined;
  fields: Record<string, NodeSpec>;
}

export type NodeSpec = FieldSpec | ObjectSpec | ListSpec;

export interface SurfaceSpec {
  fields: Record<string, NodeSpec>;
}

export const FieldSpecSchema: z.ZodType<FieldSpec> = z.strictObject({
  selector: Selector.optional(),
  read: ReadSchema,
  pattern: Pattern.optional(),
  fallback: z.array(SourceSpecSchema).max(5).optional(),
  oneOf: z.array(z.string().min(1).max(MAX_STRING)).min(1).max(50).optional(),
});

const FieldsSchema: z.ZodType<Record<string, NodeSpec>> = z.lazy(() =>
  z.record(FieldName, NodeSpecSchema).refine((o) => Object.keys(o).length <= 40, 'at most 40 fields'),
);

export const ObjectSpecSchema: z.ZodType<ObjectSpec> = z.strictObject({
  kind: z.literal('object'),
  when: Selector.optional(),
  scope: Selector.optional(),
  fields: FieldsSchema,
});

export const ListSpecSchema: z.ZodType<ListSpec> = z.strictObject({
  kind: z.literal('list'),
  rows: Selector,
  max: z.number().int().min(1).max(MAX_ROWS).optional(),
  fields: FieldsSchema,
});

export const NodeSpecSchema: z.ZodType<NodeSpec> = z.lazy(() => z.union([FieldSpecSchema, ObjectSpecSchema, ListSpecSchema]));

export const SurfaceSpecSchema: z.ZodType<SurfaceSpec> = z.strictObject({ fields: FieldsSchema });

// ------------------------------------------------------------------ Value vocabularies (from the DOM contract)

export const STATUS_CATEGORIES = ['disponible', 'pause', 'indisponible', 'post-appel', 'en-communication', 'deconnecte'] as const;
/** `#fiche-appel[data-etat]` values other than `aucun` (no call yet: the call is null). */
export const CALL_STATES = ['sonnerie', 'numerotation', 'en-communication', 'termine', 'rejete'] as const;
export const CALL_DIRECTIONS = ['entrant', 'sortant'] as const;

// ------------------------------------------------------------------ The selector data

const text = (selector?: string): FieldSpec => (selector ? { selector, read: 'text' } : { read: 'text' });
/** A CSS colour as the surfaces write it (#rgb… or rgb()/rgba()); anything else reads as null. */
const COLOUR = '^(#[0-9a-fA-F]{3,8}|rgba?\\([0-9.,%\\s]{1,60}\\))$';
const colour = (selector: string | undefined, name: string): FieldSpec =>
  selector ? { selector, read: `attr:${name}`, pattern: COLOUR } : { read: `attr:${name}`, pattern: COLOUR };
const attr = (selector: string | undefined, name: string): FieldSpec =>
  selector ? { selector, read: `attr:${name}` } : { read: `attr:${name}` };

/** Error toasts currently shown (transient: about 5 s), on every surface. */
const ERROR_TOASTS: ListSpec = { kind: 'list', rows: '#notifications-toast .toast--erreur', max: 5, fields: { text: text() } };

const BAR_SPEC: SurfaceSpec = {
  fields: {
    agent: {
      kind: 'object',
      fields: {
        login: { selector: '#operateur', read: 'attr:data-login', fallback: [{ selector: '#operateur-login', read: 'text' }] },
        name: text('#operateur-nom'),
        company: { selector: '#operateur', read: 'attr:data-societe', fallback: [{ selector: '#operateur-societe', read: 'text' }] },
      },
    },
    status: {
      kind: 'object',
      fields: {
        label: { selector: '#statut-courant', read: 'text', fallback: [{ selector: '#statut-courant', read: 'attr:title' }] },
        code: { selector: '#statut-courant', read: 'attr:data-code', fallback: [{ selector: '#bandeau', read: 'attr:data-code-statut' }] },
        category: {
          selector: '#statut-courant',
          read: 'attr:data-statut',
          fallback: [{ selector: '#bandeau', read: 'attr:data-statut' }],
          oneOf: [...STATUS_CATEGORIES],
        },
        elapsedSeconds: { selector: '#statut-duree', read: 'seconds' },
      },
    },
    waitingCalls: { selector: '#appels-en-attente', read: 'num-attr:data-valeur', fallback: [{ selector: '#appels-en-attente', read: 'number' }] },
    queues: {
      kind: 'list',
      rows: '#mes-files li[data-groupe-id]',
      fields: {
        id: attr(undefined, 'data-groupe-id'),
        name: text('.nom'),
        colour: colour(undefined, 'data-couleur'),
        waiting: { selector: '.compteur-file', read: 'num-attr:data-valeur', fallback: [{ selector: '.compteur-file', read: 'number' }] },
      },
    },
    call: {
      kind: 'object',
      scope: '#fiche-appel[data-etat]:not([data-etat="aucun"]):not([data-etat=""])',
      fields: {
        idAppel: { read: 'attr:data-id-appel', fallback: [{ selector: '#appel-id', read: 'text' }] },
        state: { read: 'attr:data-etat', oneOf: [...CALL_STATES] },
        direction: {
          read: 'attr:data-sens',
          fallback: [{ selector: '#appel-sens', read: 'attr:data-sens' }],
          oneOf: [...CALL_DIRECTIONS],
        },
        callerNumber: text('#appel-numero-contact[data-role="appelant"]'),
        calledNumber: text('#appel-numero-contact[data-role="appele"]'),
        serviceNumber: text('#appel-numero-service'),
        group: {
          kind: 'object',
          fields: {
            id: attr('#appel-groupe', 'data-groupe-id'),
            name: text('#appel-groupe-nom'),
            colour: colour('#appel-groupe', 'data-couleur'),
          },
        },
        waitSeconds: {
          selector: '#appel-temps-attente',
          read: 'num-attr:data-secondes',
          fallback: [{ selector: '#appel-temps-attente', read: 'seconds' }],
        },
        talkSeconds: { selector: '#appel-duree', read: 'seconds' },
      },
    },
    errorToasts: ERROR_TOASTS,
    link: {
      kind: 'object',
      fields: {
        cti: attr('#cti-etat', 'data-etat'),
        ctiCloseCode: { selector: '#cti-etat', read: 'num-attr:data-code-fermeture' },
        audio: attr('#webrtc-etat', 'data-etat'),
        audioMode: attr('#webrtc-etat', 'data-mode-audio'),
        integrationMode: attr('#mode-integration', 'data-mode'),
        ctiServer: text('#serveur-cti'),
        vmVersion: { selector: '#version-vm', read: 'text', fallback: [{ selector: 'meta[name="vm-version"]', read: 'attr:content' }] },
      },
    },
  },
};

const SELECTED_ROW = '#activite-operateurs tbody tr[aria-selected="true"]';

const SUPERVISION_SPEC: SurfaceSpec = {
  fields: {
    supervisor: {
      kind: 'object',
      fields: {
        login: { selector: '#superviseur', read: 'attr:data-login', fallback: [{ selector: '#superviseur-login', read: 'text' }] },
        name: text('#superviseur-nom'),
        company: text('#superviseur-societe'),
      },
    },
    queues: {
      kind: 'list',
      rows: '#files-attente tbody tr[data-groupe-id]:not([hidden])',
      fields: {
        groupId: attr(undefined, 'data-groupe-id'),
        name: text('.file__nom'),
        colour: colour(undefined, 'data-couleur'),
        waiting: { selector: '.file__en-attente', read: 'num-attr:data-valeur', fallback: [{ selector: '.file__en-attente', read: 'number' }] },
        maxWaitSeconds: { selector: '.file__attente-max', read: 'num-attr:data-secondes', fallback: [{ selector: '.file__attente-max', read: 'seconds' }] },
        connected: { selector: '.file__connectes', read: 'num-attr:data-valeur', fallback: [{ selector: '.file__connectes', read: 'number' }] },
        available: { selector: '.file__disponibles', read: 'num-attr:data-valeur', fallback: [{ selector: '.file__disponibles', read: 'number' }] },
        dmcSeconds: { selector: '.file__dmc', read: 'num-attr:data-secondes', fallback: [{ selector: '.file__dmc', read: 'seconds' }] },
        dmaSeconds: { selector: '.file__dma', read: 'num-attr:data-secondes', fallback: [{ selector: '.file__dma', read: 'seconds' }] },
        alert: { read: 'bool-attr:data-alerte' },
        understaffed: { read: 'bool-attr:data-sous-effectif' },
      },
    },
    averagesUpdatedAt: attr('#dmc-maj', 'data-horodatage'),
    selectedOperator: {
      kind: 'object',
      when: `#operateur-selectionne[data-login]:not([data-login=""]), ${SELECTED_ROW}`,
      fields: {
        login: {
          selector: '#operateur-selectionne',
          read: 'attr:data-login',
          fallback: [
            { selector: '#selection-login', read: 'text' },
            { selector: SELECTED_ROW, read: 'attr:data-login' },
          ],
        },
        name: { selector: '#selection-nom', read: 'text', fallback: [{ selector: `${SELECTED_ROW} .op__nom strong`, read: 'text' }] },
        statusLabel: { selector: '#selection-statut', read: 'text', fallback: [{ selector: `${SELECTED_ROW} .op__statut .badge`, read: 'text' }] },
        statusCategory: {
          selector: '#selection-statut',
          read: 'attr:data-statut',
          fallback: [{ selector: SELECTED_ROW, read: 'attr:data-statut' }],
          oneOf: [...STATUS_CATEGORIES],
        },
        statusCode: attr(SELECTED_ROW, 'data-code-statut'),
        since: attr(SELECTED_ROW, 'data-depuis'),
        currentQueue: text('#selection-file'),
        station: text(`${SELECTED_ROW} .op__poste`),
      },
    },
    alerts: {
      kind: 'list',
      rows: '#liste-alertes li.alerte[data-type]:not([data-type="aucune"])',
      fields: {
        type: attr(undefined, 'data-type'),
        level: attr(undefined, 'data-niveau'),
        groupId: attr(undefined, 'data-groupe-id'),
        text: text(),
      },
    },
    errorToasts: ERROR_TOASTS,
    link: {
      kind: 'object',
      fields: {
        live: attr('#live-etat', 'data-etat'),
        closeCode: { selector: '#live-etat', read: 'num-attr:data-code-fermeture' },
      },
    },
  },
};

const EXTRANET_SPEC: SurfaceSpec = {
  fields: {
    admin: {
      kind: 'object',
      fields: {
        login: { selector: '#administrateur', read: 'attr:data-login', fallback: [{ selector: '#admin-login', read: 'text' }] },
        name: text('#admin-nom'),
        role: text('#admin-role'),
      },
    },
    account: {
      kind: 'object',
      fields: {
        company: text('#compte-societe'),
        number: text('#compte-numero'),
      },
    },
    tab: {
      kind: 'object',
      fields: {
        id: {
          selector: '#contenu',
          read: 'attr:data-onglet',
          fallback: [{ selector: '#menu-principal a.is-active[data-onglet]', read: 'attr:data-onglet' }],
        },
        label: text('#menu-principal a.is-active[data-onglet]'),
        view: attr('#contenu', 'data-vue'),
        title: text('#titre-page'),
        breadcrumb: text('#fil-ariane'),
      },
    },
    object: {
      kind: 'object',
      scope: '#contenu[data-objet-type]:not([data-objet-type=""])',
      fields: {
        type: { read: 'attr:data-objet-type' },
        id: { read: 'attr:data-objet-id' },
        mode: { selector: 'form#formulaire-edition', read: 'attr:data-mode', fallback: [{ read: 'attr:data-vue' }] },
        label: { selector: '#objet-edite', read: 'text', fallback: [{ selector: '.pages-stats a.is-active', read: 'text' }] },
      },
    },
    period: {
      kind: 'object',
      when: '#tableau-statistiques, #filtres-statistiques',
      fields: {
        from: { selector: '#tableau-statistiques', read: 'attr:data-du', fallback: [{ selector: '#stats-du', read: 'value' }] },
        to: { selector: '#tableau-statistiques', read: 'attr:data-au', fallback: [{ selector: '#stats-au', read: 'value' }] },
      },
    },
    error: {
      kind: 'object',
      scope: '#message-erreur:not([hidden])',
      fields: {
        title: text('#message-erreur-titre'),
        text: text('#message-erreur-texte'),
        details: text('#message-erreur-details'),
        httpStatus: {
          read: 'num-attr:data-statut',
          fallback: [{ selector: '#message-erreur-details', read: 'number', pattern: '\\bHTTP\\s*(\\d{3})\\b' }],
        },
        code: { read: 'attr:data-code' },
        reference: { selector: '#message-erreur-details', read: 'text', pattern: 'Réf\\.\\s*([A-Za-z0-9][-A-Za-z0-9_]*)' },
      },
    },
    fieldErrors: {
      kind: 'list',
      rows: '.champ__erreur[data-champ]',
      fields: {
        field: attr(undefined, 'data-champ'),
        message: text(),
      },
    },
    success: text('#message-succes:not([hidden])'),
    errorToasts: ERROR_TOASTS,
    link: {
      kind: 'object',
      fields: {
        notifications: attr('#notifications-etat', 'data-etat'),
        closeCode: { selector: '#notifications-etat', read: 'num-attr:data-code-fermeture' },
      },
    },
  },
};

/** The selector data, one spec per surface (`other` reads nothing). */
export const FIELD_SPECS: Readonly<Record<Surface, SurfaceSpec>> = {
  bar: BAR_SPEC,
  supervision: SUPERVISION_SPEC,
  extranet: EXTRANET_SPEC,
  other: { fields: {} },
};

// ------------------------------------------------------------------ What the extractors return

const str = z.string().min(1).max(MAX_STRING).nullable();
const num = z.number().finite().nullable();
const bool = z.boolean().nullable();
const rows = <T extends z.ZodType>(row: T) => z.array(row).max(MAX_ROWS);

export const StatusCategorySchema = z.enum(STATUS_CATEGORIES);

export const BarFieldsSchema = z.strictObject({
  surface: z.literal('bar'),
  agent: z.strictObject({ login: str, name: str, company: str }),
  status: z.strictObject({ label: str, code: str, category: StatusCategorySchema.nullable(), elapsedSeconds: num }),
  /** Callers waiting in the operator's queues. */
  waitingCalls: num,
  queues: rows(z.strictObject({ id: str, name: str, colour: str, waiting: num })),
  /** The current or last call; null until a call has happened (`data-etat="aucun"`). */
  call: z
    .strictObject({
      idAppel: str,
      state: z.enum(CALL_STATES).nullable(),
      direction: z.enum(CALL_DIRECTIONS).nullable(),
      /** Incoming call: the caller. */
      callerNumber: str,
      /** Outgoing call: the number dialled. */
      calledNumber: str,
      /** The service number (SDA) of the group. */
      serviceNumber: str,
      group: z.strictObject({ id: str, name: str, colour: str }),
      /** Caller's waiting time before pickup (incoming calls only). */
      waitSeconds: num,
      talkSeconds: num,
    })
    .nullable(),
  /** Error toasts on screen (they disappear after about 5 s). */
  errorToasts: z.array(z.strictObject({ text: str })).max(5),
  link: z.strictObject({
    cti: str,
    ctiCloseCode: num,
    audio: str,
    audioMode: str,
    integrationMode: str,
    ctiServer: str,
    vmVersion: str,
  }),
});

export const SupervisionFieldsSchema = z.strictObject({
  surface: z.literal('supervision'),
  supervisor: z.strictObject({ login: str, name: str, company: str }),
  queues: rows(
    z.strictObject({
      groupId: str,
      name: str,
      colour: str,
      waiting: num,
      maxWaitSeconds: num,
      connected: num,
      available: num,
      /** DMC (durée moyenne de communication) and DMA (durée moyenne d'attente): refreshed every 6 minutes. */
      dmcSeconds: num,
      dmaSeconds: num,
      alert: bool,
      understaffed: bool,
    }),
  ),
  averagesUpdatedAt: str,
  selectedOperator: z
    .strictObject({
      login: str,
      name: str,
      statusLabel: str,
      statusCategory: StatusCategorySchema.nullable(),
      statusCode: str,
      since: str,
      currentQueue: str,
      station: str,
    })
    .nullable(),
  alerts: rows(z.strictObject({ type: str, level: str, groupId: str, text: str })),
  /** Error toasts on screen (they disappear after about 5 s). */
  errorToasts: z.array(z.strictObject({ text: str })).max(5),
  link: z.strictObject({ live: str, closeCode: num }),
});

export const ExtranetFieldsSchema = z.strictObject({
  surface: z.literal('extranet'),
  admin: z.strictObject({ login: str, name: str, role: str }),
  account: z.strictObject({ company: str, number: str }),
  tab: z.strictObject({ id: str, label: str, view: str, title: str, breadcrumb: str }),
  /** The object being edited or shown; `id` is null when creating one. */
  object: z.strictObject({ type: str, id: str, mode: str, label: str }).nullable(),
  /** Statistics period (YYYY-MM-DD), on statistics pages. */
  period: z.strictObject({ from: str, to: str }).nullable(),
  /** The visible error banner. */
  error: z
    .strictObject({ title: str, text: str, details: str, httpStatus: num, code: str, reference: str })
    .nullable(),
  fieldErrors: rows(z.strictObject({ field: str, message: str })),
  success: str,
  /** Error toasts on screen (they disappear after about 5 s). */
  errorToasts: z.array(z.strictObject({ text: str })).max(5),
  link: z.strictObject({ notifications: str, closeCode: num }),
});

export const OtherFieldsSchema = z.strictObject({ surface: z.literal('other') });

export const SurfaceFieldsSchema = z.discriminatedUnion('surface', [
  BarFieldsSchema,
  SupervisionFieldsSchema,
  ExtranetFieldsSchema,
  OtherFieldsSchema,
]);
export type SurfaceFields = z.infer<typeof SurfaceFieldsSchema>;
export type BarFields = z.infer<typeof BarFieldsSchema>;
export type SupervisionFields = z.infer<typeof SupervisionFieldsSchema>;
export type ExtranetFields = z.infer<typeof ExtranetFieldsSchema>;
export type OtherFields = z.infer<typeof OtherFieldsSchema>;
export type SurfaceFieldsFor<S extends Surface> = Extract<SurfaceFields, { surface: S }>;

const SCHEMAS = {
  bar: BarFieldsSchema,
  supervision: SupervisionFieldsSchema,
  extranet: ExtranetFieldsSchema,
  other: OtherFieldsSchema,
} as const;

/** The zod schema of one surface's fields. */
export function fieldsSchemaFor<S extends Surface>(surface: S): (typeof SCHEMAS)[S] {
  return SCHEMAS[surface];
}
