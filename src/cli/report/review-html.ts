// The report's "Design review" section: the design checklist of `nas review` for the best trial, item
// by item with its warnings, then the nearest reference and the warnings of each of the top trials.
import type { Trial } from '../../core/trial.js';
import { UserError } from '../../core/errors.js';
import { ITEM_TITLES, itemText } from '../format/review-text.js';
import { CHECKLIST, reviewContext } from '../review/checklist.js';
import { thisMachine, type Machine } from '../review/machine.js';
import { reviewTrial, type Review } from '../review/review.js';
import { esc } from './escape.js';
import type { ReportData } from './report-data.js';

/** How many of the top trials the per-trial table reviews. */
export const TOP_REVIEWS = 10;

/** The section for `data`'s best trials, checked against `machine`; '' without a complete trial. */
export function reviewSection(data: ReportData, machine: Machine = thisMachine()): string {
  const top = data.ranked.slice(0, TOP_REVIEWS);
  if (top.length === 0) return '';
  const heading = '<h2>Design review</h2>';
  const context = orWhy(() => reviewContext(data.config, machine));
  if (typeof context === 'string') return `${heading}<p>Not reviewed: ${esc(context)}</p>\n`;
  const reviews = top.map((t) => orWhy(() => reviewTrial(context, t)));
  const [best] = reviews;
  const intro = `<p>The design checklist of <code>nas review</code> walked for the best trial, ${top[0]?.number}, with the engine's figures; memory, cores and bfloat16 are this machine's.</p>`;
  const checklist = typeof best === 'object' ? checklistTable(best) : `<p>${esc(best ?? '')}</p>`;
  return `${heading}${intro}${checklist}<p>The top ${top.length} trials, each with its nearest reference network and its warnings:</p>${trialsTable(top, reviews)}\n`;
}

/** `make()`, or why not when it throws a {@link UserError} (a data set, config or architecture that no longer loads). */
function orWhy<T>(make: () => T): T | string {
  try {
    return make();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
}

function checklistTable(review: Review): string {
  const rows = CHECKLIST.flatMap((part, i) =>
    part.items.map((key, j) => {
      const warnings = review.warnings
        .filter((w) => w.item === key)
        .map((w) => `<br>⚠ <b>${esc(w.code)}</b>: ${esc(w.message)}`)
        .join('');
      const partCell = j === 0 ? `<td class="l" rowspan="${part.items.length}">${i + 1}. ${esc(part.title)}</td>` : '';
      return `<tr>${partCell}<td class="l">${esc(ITEM_TITLES[key])}</td><td class="l">${esc(itemText(review, key))}${warnings}</td></tr>`;
    }),
  );
  return `<table><tr><th class="l">part</th><th class="l">item</th><th class="l">value</th></tr>${rows.join('')}</table>`;
}

function trialsTable(top: readonly Trial[], reviews: readonly (Review | string)[]): string {
  const head =
    '<tr><th>trial</th><th class="l">nearest reference</th><th>distance</th><th>depth</th><th class="l">warnings</th></tr>';
  const rows = top.map((t, i) => {
    const r = reviews[i];
    if (r === undefined || typeof r === 'string')
      return `<tr><td>${t.number}</td><td class="l" colspan="4">${esc(r ?? '')}</td></tr>`;
    const warnings = r.warnings.length === 0 ? 'none' : r.warnings.map((w) => w.code).join(', ');
    return `<tr><td>${t.number}</td><td class="l">${esc(r.base?.name ?? '—')}</td><td>${r.base === null ? '—' : r.base.distance.toFixed(2)}</td><td>${r.shortcuts.depth}</td><td class="l">${esc(warnings)}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}
