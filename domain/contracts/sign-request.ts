/**
 * POST /api/contracts/:id/sign on the wire (portal-ui imports the types): a mark the signer placed (free
 * placement), as the request carries it, and the 202 answer (正在处理) when the signature goes on after the wait.
 * What the marks may be is decided on signing (signing-marks.ts `prepareSignature`).
 */
import { z } from 'zod';
import { RIDING_RULES } from './riding-rule';

/** A placed mark: page marks page/x/y (+ width/height when resized), a 骑缝章 pageFrom/pageTo/y and its 骑缝规则; the seal by id. */
export const placedMarkSchema = z
  .object({
    kind: z.string().max(20),
    sealId: z.string().min(1).max(36).optional(),
    /** 手写签名 only: which of the signer's handwritten signatures to stamp (default: the default one). */
    signatureId: z.string().min(1).max(36).optional(),
    sealType: z.string().max(40).optional(),
    page: z.number().int().min(1).optional(),
    x: z.number().finite().min(0, '坐标不能为负').optional(),
    y: z.number().finite().min(0, '坐标不能为负').optional(),
    width: z.number().finite().positive('尺寸须大于 0').optional(),
    height: z.number().finite().positive('尺寸须大于 0').optional(),
    pageFrom: z.number().int().min(1).optional(),
    pageTo: z.number().int().min(1).optional(),
    /** 骑缝章: 骑缝规则 (default 'all'); the range and the rule are checked by the signing engine's own check (riding-rule.ts). */
    ridingRule: z.enum(RIDING_RULES, { errorMap: () => ({ message: '骑缝规则须为全部页、奇数页或偶数页' }) }).optional(),
  })
  .strict();
export type PlacedMarkInput = z.input<typeof placedMarkSchema>;

/**
 * 202 of POST /sign: the signature continues on the server. Poll `poll` (GET the contract), or send the same
 * request again (same code): it attaches to the same signing request and returns its outcome.
 */
export const presentSignProcessing = <C>(contractId: string, contract: C) => ({
  status: 'processing' as const,
  message: '正在处理，请稍候',
  messageEn: 'Processing; please wait',
  poll: `/api/contracts/${contractId}`,
  contract,
});
/** `C`: the contract view the answer carries (the portal's: its user view). */
export type SignProcessingView<C> = ReturnType<typeof presentSignProcessing<C>>;
