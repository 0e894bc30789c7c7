import { useCallback, useRef, useState } from 'react';
import { Box, Button, Chip, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import DragIndicatorIcon from '@mui/icons-material/DragIndicator';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import DeleteSweepIcon from '@mui/icons-material/DeleteSweep';
import LibraryAddIcon from '@mui/icons-material/LibraryAdd';
import { useTranslate } from 'react-admin';
import { RIDING_RULES, ridingPages, ridingRangeProblem, type RidingRangeProblem } from '../../../domain/contracts/riding-rule';
import { pixelsToPoints, ridingTopToPoints, roundPt, type Point, type Size } from './geometry';
import { MarkBoxes } from './MarkBoxes';
import { copiesOnPages, scaledBox } from './mark-edits';
import { MultiPageDialog } from './MultiPageDialog';
import { PdfPages } from './PdfPages';
import type { PdfSource } from './pdfjs';
import { newMarkId, sameItem, type EditorMark, type EditorParticipant, type MarkKind, type PaletteItem, type RidingRule, type SizeLimits } from './placement';
import { useMarkDrag, type DragPayload, type DropTarget } from './useMarkDrag';
import { useMarkResize } from './useMarkResize';

export interface PlacementEditorProps {
  source: PdfSource | null;
  participants: EditorParticipant[];
  marks: EditorMark[];
  onChange: (marks: EditorMark[]) => void;
  /** Box size in PDF points of a mark kind (a 骑缝章: the whole seal); `sealId`: of that seal. */
  sizeOf: (kind: MarkKind, sealType?: string | null, sealId?: string | null) => Size;
  onPagesLoaded?: (pages: Size[]) => void;
  disabled?: boolean;
  /** Resizing: the limits of a mark (null: not resizable). Without it, boxes keep their kind's size. */
  limitsOf?: (mark: EditorMark) => SizeLimits | null;
  /** At most this many marks in all (the server's cap per signature). */
  maxMarks?: number;
  /** 多页盖章: a placed mark can be copied onto all pages or a range. */
  multiPage?: boolean;
  /** Zoom toolbar and page thumbnails over the pages. */
  viewer?: boolean;
}

/** The page of the document that shows the most of itself in the window, and where its visible part is centred (px). */
function mostVisiblePage(root: HTMLElement | null): { page: number; centre: Point; scale: number } | null {
  let best: { page: number; centre: Point; scale: number; area: number } | null = null;
  for (const el of root?.querySelectorAll<HTMLElement>('[data-pdf-page]') ?? []) {
    const r = el.getBoundingClientRect();
    const top = Math.max(r.top, 0);
    const bottom = Math.min(r.bottom, window.innerHeight);
    const area = Math.max(0, bottom - top) * r.width;
    if (!best || area > best.area) {
      best = { page: Number(el.dataset.pdfPage), scale: Number(el.dataset.scale), area, centre: { x: r.width / 2, y: (top + bottom) / 2 - r.top } };
    }
  }
  return best;
}

/**
 * Drag a box per mark per participant onto the rendered pages of a PDF. Each participant has a
 * palette of the marks it may get; drag a chip onto a page (or tap it: the mark lands in the
 * middle of the page in view), drag placed boxes to move them (also to other pages), arrow keys
 * nudge the focused box by 1 pt (Shift: 10 pt), Delete removes it. A 骑缝章 covers a page range
 * (default: every page) at the right edge, on every page of it or on its odd or even pages (骑缝规则:
 * the range and the rule must select at least two pages, the server's rule in
 * domain/contracts/riding-rule.ts; a rule that would not is not offered, a range that would not is
 * refused with why); dragging it changes its height on the pages.
 * Positions are PDF points from the page's top-left corner; boxes always stay on their page.
 */
export const PlacementEditor = ({ source, participants, marks, onChange, sizeOf, onPagesLoaded, disabled, limitsOf, maxMarks, multiPage, viewer }: PlacementEditorProps) => {
  const translate = useTranslate();
  const rootRef = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<Size[]>([]);
  const [copying, setCopying] = useState<EditorMark | null>(null);
  /** Why the last range typed for a 骑缝章 was refused (shown under its row until a valid one is typed). */
  const [rangeRefusal, setRangeRefusal] = useState<{ markId: string; problem: RidingRangeProblem; from: number; to: number; rule: RidingRule } | null>(null);
  const full = maxMarks !== undefined && marks.length >= maxMarks;
  const marksRef = useRef(marks);
  marksRef.current = marks;

  const participant = (key: string) => participants.find((p) => p.key === key);
  const itemOf = (mark: EditorMark): PaletteItem | undefined => participant(mark.participantKey)?.palette.find((i) => sameItem(mark, i));
  const labelOf = (mark: EditorMark) => `${participant(mark.participantKey)?.label ?? ''} · ${itemOf(mark)?.label ?? mark.kind}`;
  const colorOf = (mark: EditorMark) => participant(mark.participantKey)?.color ?? '#1565c0';
  const baseSize = (mark: EditorMark) =>
    mark.width != null && mark.height != null ? { width: mark.width, height: mark.height } : sizeOf(mark.kind, mark.sealType, mark.sealId);
  const paletteItem = (payload: Extract<DragPayload, { type: 'new' }>) => participant(payload.participantKey)?.palette[payload.itemIndex];
  /** How many strips a 骑缝章 has: the pages its range and rule select. */
  const ridingStripCount = (mark: Pick<EditorMark, 'pageFrom' | 'pageTo' | 'ridingRule'>) => Math.max(1, ridingPages(mark.pageFrom ?? 1, mark.pageTo ?? pages.length, mark.ridingRule ?? 'all').length);

  /** The dragged box: a whole mark, or one strip of a 骑缝章. */
  const dragSize = (payload: DragPayload): Size => {
    if (payload.type === 'new') {
      const item = paletteItem(payload);
      if (!item) return { width: 0, height: 0 };
      const size = sizeOf(item.kind, item.sealType, item.sealId);
      return item.kind === 'riding' ? { width: size.width / Math.max(1, pages.length), height: size.height } : size;
    }
    const mark = marksRef.current.find((m) => m.id === payload.markId);
    if (!mark) return { width: 0, height: 0 };
    const size = markSize(mark);
    return mark.kind === 'riding' ? { width: size.width / ridingStripCount(mark), height: size.height } : size;
  };

  const currentScale = () => Number(rootRef.current?.querySelector<HTMLElement>('[data-pdf-page]')?.dataset.scale) || 1;

  const update = (next: EditorMark[]) => onChange(next);
  const replace = (id: string, patch: Partial<EditorMark>) => update(marksRef.current.map((m) => (m.id === id ? { ...m, ...patch } : m)));

  const place = (payload: DragPayload, target: DropTarget) => {
    const pageSize = pages[target.page - 1];
    if (!pageSize) return;
    if (payload.type === 'new') {
      const item = paletteItem(payload);
      if (!item || item.disabledReason || (maxMarks !== undefined && marksRef.current.length >= maxMarks)) return;
      const size = sizeOf(item.kind, item.sealType, item.sealId);
      const base = { id: newMarkId(), participantKey: payload.participantKey, kind: item.kind, sealType: item.sealType ?? null, sealId: item.sealId ?? null, signatureId: item.signatureId ?? null, ...(item.ref ? { ref: item.ref } : {}) };
      if (item.kind === 'riding') {
        if (pages.length < 2) return;
        update([...marksRef.current, { ...base, pageFrom: 1, pageTo: pages.length, ridingRule: 'all', y: ridingTopToPoints(target.localPx.y, target.scale, size, pageSize) }]);
      } else {
        update([...marksRef.current, { ...base, page: target.page, ...pixelsToPoints(target.localPx, target.scale, size, pageSize) }]);
      }
      return;
    }
    const mark = marksRef.current.find((m) => m.id === payload.markId);
    if (!mark) return;
    const size = markSize(mark);
    if (mark.kind === 'riding') replace(mark.id, { y: ridingTopToPoints(target.localPx.y, target.scale, size, pageSize) });
    else replace(mark.id, { page: target.page, ...pixelsToPoints(target.localPx, target.scale, size, pageSize) });
  };

  const tap = (payload: DragPayload) => {
    if (payload.type !== 'new') return;
    const view = mostVisiblePage(rootRef.current);
    if (!view) return;
    const size = dragSize(payload);
    place(payload, {
      page: view.page,
      scale: view.scale,
      localPx: { x: view.centre.x - (size.width * view.scale) / 2, y: view.centre.y - (size.height * view.scale) / 2 },
    });
  };

  const { ghost, bind } = useMarkDrag({ sizeOf: dragSize, scale: currentScale, onDrop: place, onTap: tap });
  const resizing = useMarkResize((id, size) => replace(id, size));
  const markSize = (mark: EditorMark) => (resizing.preview?.markId === mark.id ? resizing.preview.size : baseSize(mark));

  const resizeHandlers = (mark: EditorMark) => {
    const limits = limitsOf?.(mark);
    const page = pages[(mark.page ?? 1) - 1];
    if (!limits || !page || mark.x == null || mark.y == null) return null;
    return resizing.bind(mark.id, { start: baseSize(mark), scale: currentScale(), limits, at: { x: mark.x, y: mark.y }, page });
  };
  const scaleMark = (mark: EditorMark, factor: number) => {
    const limits = limitsOf?.(mark);
    const page = pages[(mark.page ?? 1) - 1];
    if (!limits || !page || mark.x == null || mark.y == null || mark.kind === 'riding') return;
    replace(mark.id, scaledBox(baseSize(mark), factor, limits, { x: mark.x, y: mark.y }, page));
  };

  const nudge = (mark: EditorMark, dx: number, dy: number) => {
    const size = markSize(mark);
    if (mark.kind === 'riding') {
      const page = pages[(mark.pageFrom ?? 1) - 1];
      if (!page || mark.y == null) return;
      replace(mark.id, { y: roundPt(Math.min(Math.max(mark.y + dy, 0), page.height - size.height)) });
      return;
    }
    const page = pages[(mark.page ?? 1) - 1];
    if (!page || mark.x == null || mark.y == null) return;
    replace(mark.id, {
      x: roundPt(Math.min(Math.max(mark.x + dx, 0), page.width - size.width)),
      y: roundPt(Math.min(Math.max(mark.y + dy, 0), page.height - size.height)),
    });
  };

  const remove = (mark: EditorMark) => update(marksRef.current.filter((m) => m.id !== mark.id));
  /** 一键删除: every mark of the participant. */
  const removeAll = (participantKey: string) => update(marksRef.current.filter((m) => m.participantKey !== participantKey));
  /** 多页盖章: the mark copied onto pages from..to at the same position. */
  const copyToPages = (mark: EditorMark, from: number, to: number) => {
    const room = maxMarks === undefined ? Number.MAX_SAFE_INTEGER : maxMarks - marksRef.current.length;
    update([...marksRef.current, ...copiesOnPages(mark, baseSize(mark), from, to, pages, marksRef.current, room)]);
  };

  const setRange = (mark: EditorMark, field: 'pageFrom' | 'pageTo', value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > pages.length) return;
    const from = field === 'pageFrom' ? n : (mark.pageFrom ?? 1);
    const to = field === 'pageTo' ? n : (mark.pageTo ?? pages.length);
    const rule = mark.ridingRule ?? 'all';
    const problem = ridingRangeProblem(from, to, rule);
    if (problem) {
      setRangeRefusal({ markId: mark.id, problem, from, to, rule });
      return;
    }
    setRangeRefusal(null);
    replace(mark.id, { pageFrom: from, pageTo: to });
  };
  /** A rule is offered when it keeps at least two pages of the mark's range. */
  const ruleFits = (mark: EditorMark, rule: RidingRule) => !ridingRangeProblem(mark.pageFrom ?? 1, mark.pageTo ?? pages.length, rule);
  const setRule = (mark: EditorMark, rule: RidingRule) => {
    if (!ruleFits(mark, rule)) return;
    setRangeRefusal(null);
    replace(mark.id, { ridingRule: rule });
  };
  const refusalText = (r: NonNullable<typeof rangeRefusal>) => {
    const params = { from: r.from, to: r.to, rule: translate(`portal.pdf.riding_rules.${r.rule}`) };
    if (r.problem.code === 'RIDING_RANGE_INVALID') return translate('portal.pdf.riding_range_invalid');
    return translate(r.problem.selected === 0 ? 'portal.pdf.riding_rule_none' : 'portal.pdf.riding_rule_one', params);
  };

  const loaded = useCallback(
    (sizes: Size[]) => {
      setPages(sizes);
      onPagesLoaded?.(sizes);
    },
    [onPagesLoaded],
  );

  const position = (mark: EditorMark) => {
    if (mark.kind !== 'riding') return translate('portal.pdf.position', { page: mark.page ?? '', x: mark.x ?? '', y: mark.y ?? '' });
    const at = { from: mark.pageFrom ?? '', to: mark.pageTo ?? '', y: mark.y ?? '' };
    const rule = mark.ridingRule ?? 'all';
    return rule === 'all' ? translate('portal.pdf.riding_position', at) : translate('portal.pdf.riding_position_rule', { ...at, rule: translate(`portal.pdf.riding_rules.${rule}`) });
  };

  const ghostOwner = (payload: DragPayload) =>
    payload.type === 'new' ? payload.participantKey : (marks.find((m) => m.id === payload.markId)?.participantKey ?? '');
  const ghostColor = (ghost && participant(ghostOwner(ghost.payload))?.color) ?? '#1565c0';

  return (
    <Box ref={rootRef} data-testid="placement-editor" sx={{ display: 'flex', gap: 2, flexDirection: { xs: 'column', md: 'row' }, alignItems: { md: 'flex-start' } }}>
      <Box
        data-testid="placement-palette"
        sx={{
          width: { xs: '100%', md: 300 },
          flexShrink: 0,
          position: { md: 'sticky' },
          top: { md: 72 },
          maxHeight: { md: 'calc(100vh - 96px)' },
          overflowY: { md: 'auto' },
        }}
      >
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate('portal.pdf.palette_hint')}
        </Typography>
        <Stack spacing={2}>
          {participants.map((p) => {
            const own = marks.filter((m) => m.participantKey === p.key);
            return (
              <Box key={p.key} data-testid="placement-participant" data-participant={p.key} sx={{ borderLeft: `4px solid ${p.color}`, pl: 1.5 }}>
                <Typography variant="subtitle2" sx={{ color: p.color, fontWeight: 700 }}>
                  {p.label}
                </Typography>
                <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, my: 1 }}>
                  {p.palette.map((item, index) => {
                    if (item.hidden) return null;
                    const off = disabled || full || pages.length === 0 || !!item.disabledReason || (item.kind === 'riding' && pages.length < 2);
                    const why = item.disabledReason ?? (item.kind === 'riding' && pages.length < 2 ? translate('portal.pdf.riding_needs_pages') : '');
                    return (
                      <Tooltip key={`${item.kind}-${item.sealType ?? ''}-${item.sealId ?? ''}-${item.signatureId ?? ''}-${item.ref ?? ''}`} title={why}>
                        <Chip
                          icon={<DragIndicatorIcon />}
                          label={item.label}
                          variant="outlined"
                          disabled={off}
                          data-testid="palette-item"
                          data-participant={p.key}
                          data-kind={item.kind}
                          data-seal-type={item.sealType ?? ''}
                          data-seal-id={item.sealId ?? ''}
                          data-signature-id={item.signatureId ?? ''}
                          data-ref={item.ref ?? ''}
                          {...bind({ type: 'new', participantKey: p.key, itemIndex: index }, 'center', off)}
                          sx={{ borderColor: p.color, color: p.color, cursor: off ? 'default' : 'grab', touchAction: 'none', userSelect: 'none' }}
                        />
                      </Tooltip>
                    );
                  })}
                </Box>
                {own.length > 0 && !disabled && (
                  <Button size="small" color="error" startIcon={<DeleteSweepIcon />} onClick={() => removeAll(p.key)} data-testid="placement-clear-all" sx={{ mb: 0.5 }}>
                    {translate('portal.contracts.sign.clear_all')}
                  </Button>
                )}
                {own.length === 0 ? (
                  <Typography variant="caption" color="text.secondary">
                    {translate('portal.pdf.none_placed')}
                  </Typography>
                ) : (
                  own.map((mark) => (
                    <Stack key={mark.id} direction="row" data-testid="placed-mark-row" data-mark-id={mark.id} sx={{ alignItems: 'center', gap: 1, flexWrap: 'wrap', py: 0.25 }}>
                      <Typography variant="caption" sx={{ flex: '1 1 160px' }}>
                        {itemOf(mark)?.label ?? mark.kind} · {position(mark)}
                      </Typography>
                      {mark.kind === 'riding' &&
                        (['pageFrom', 'pageTo'] as const).map((field) => (
                          <TextField
                            key={field}
                            size="small"
                            type="number"
                            label={translate(field === 'pageFrom' ? 'portal.pdf.page_from' : 'portal.pdf.page_to')}
                            value={mark[field] ?? ''}
                            onChange={(e) => setRange(mark, field, e.target.value)}
                            disabled={disabled}
                            sx={{ width: 84 }}
                            slotProps={{ htmlInput: { min: 1, max: pages.length, 'data-testid': field === 'pageFrom' ? 'riding-page-from' : 'riding-page-to' } }}
                          />
                        ))}
                      {mark.kind === 'riding' && (
                        <Tooltip title={translate('portal.pdf.riding_rule_hint')} placement="top">
                          <TextField
                            select
                            size="small"
                            label={translate('portal.pdf.riding_rule')}
                            value={mark.ridingRule ?? 'all'}
                            onChange={(e) => setRule(mark, e.target.value as RidingRule)}
                            disabled={disabled}
                            sx={{ width: 108 }}
                            slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'riding-rule' } }}
                          >
                            {RIDING_RULES.map((rule) => (
                              <option key={rule} value={rule} disabled={!ruleFits(mark, rule)}>
                                {translate(`portal.pdf.riding_rules.${rule}`)}
                              </option>
                            ))}
                          </TextField>
                        </Tooltip>
                      )}
                      {multiPage && mark.kind !== 'riding' && pages.length > 1 && (
                        <Tooltip title={translate('portal.contracts.sign.multi_page')}>
                          <span>
                            <IconButton size="small" aria-label={translate('portal.contracts.sign.multi_page')} onClick={() => setCopying(mark)} disabled={disabled || full} data-testid="placed-mark-multipage">
                              <LibraryAddIcon fontSize="small" />
                            </IconButton>
                          </span>
                        </Tooltip>
                      )}
                      <IconButton size="small" aria-label={translate('portal.pdf.remove')} onClick={() => remove(mark)} disabled={disabled} data-testid="placed-mark-row-remove">
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                      {rangeRefusal?.markId === mark.id && (
                        <Typography variant="caption" color="error" role="alert" data-testid="riding-range-refused" sx={{ flexBasis: '100%' }}>
                          {refusalText(rangeRefusal)}
                        </Typography>
                      )}
                    </Stack>
                  ))
                )}
              </Box>
            );
          })}
        </Stack>
      </Box>
      <Box sx={{ flex: 1, minWidth: 0, width: '100%' }}>
        <PdfPages
          source={source}
          onLoaded={loaded}
          zoomable={viewer}
          thumbnails={viewer}
          renderOverlay={(page) => (
            <MarkBoxes
              page={page}
              marks={marks}
              sizeOf={markSize}
              colorOf={colorOf}
              labelOf={labelOf}
              dragHandlers={(mark) => bind({ type: 'move', markId: mark.id }, 'pointer', disabled)}
              draggingId={ghost?.payload.type === 'move' ? ghost.payload.markId : null}
              onRemove={remove}
              onNudge={nudge}
              resizeHandlers={limitsOf ? resizeHandlers : undefined}
              onScale={limitsOf ? scaleMark : undefined}
              imageOf={(mark) => itemOf(mark)?.imageUrl ?? null}
              disabled={disabled}
            />
          )}
        />
      </Box>
      {copying && (
        <MultiPageDialog
          pageCount={pages.length}
          page={copying.page ?? 1}
          onClose={() => setCopying(null)}
          onApply={(from, to) => {
            copyToPages(copying, from, to);
            setCopying(null);
          }}
        />
      )}
      {ghost && (
        <Box
          data-testid="placement-ghost"
          sx={{
            position: 'fixed',
            left: ghost.left,
            top: ghost.top,
            width: ghost.width,
            height: ghost.height,
            border: `2px dashed ${ghostColor}`,
            bgcolor: `${ghostColor}33`,
            pointerEvents: 'none',
            zIndex: 1500,
            boxSizing: 'border-box',
          }}
        />
      )}
    </Box>
  );
};
