import { z } from 'zod';
import { ibanProblem } from '../core/iban.js';

const BaseRateSchema = z
  .object({
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').describe('The first day of the period (base rates change on 1 January and 1 July).'),
    rate: z.number().min(-20).max(50).describe('The base rate in percent, e.g. 1.27 or -0.88.'),
  })
  .strict();

/** `lateCharges`: default interest and fees of the German Mahnwesen (issue 24). */
export const LateChargesSchema = z
  .object({
    interest: z.enum(['de-statutory', 'none']).default('de-statutory').describe('de-statutory: default interest of §288 BGB, the base rate plus 5 points (consumers) or 9 (businesses).'),
    customerType: z.enum(['b2c', 'b2b']).default('b2c').describe('Whether customers are consumers (b2c) or businesses (b2b).'),
    flatFeeB2B: z.boolean().default(false).describe('Add the 40 EUR flat fee of §288(5) BGB once per claim to business customers.'),
    baseRates: z.array(BaseRateSchema).default([]).describe('Base-rate periods to add to or correct the shipped table, e.g. [{"from": "2026-07-01", "rate": 1.27}].'),
    nextSteps: z.string().optional().describe('What follows when nothing is paid, for the last notice (e.g. the hand-over to a collection agency).'),
  })
  .strict();

/** `sender.bank`: the account a formal notice offers for a bank transfer; the IBAN must pass its mod-97 check. */
export const BankSchema = z
  .object({
    accountHolder: z.string().min(1).describe('The account holder, as the bank knows it.'),
    iban: z
      .string()
      .superRefine((iban, ctx) => {
        const problem = ibanProblem(iban);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: `"${iban}" ${problem}` });
      })
      .describe('The IBAN, with or without spaces; its check digits are verified.'),
    bic: z.string().regex(/^[A-Za-z]{4}[A-Za-z]{2}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$/, 'a BIC of 8 or 11 letters and digits').optional().describe('The BIC (SWIFT code).'),
  })
  .strict();
