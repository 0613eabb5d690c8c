import { z } from 'zod';
import {
  ChangePhaseInput,
  Consultation,
  CreateConsultationInput,
  PageQuery,
  UpdateConsultationInput,
} from '../../shared/schemas.ts';
import { AdoptionCheck } from '../../shared/adoption.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { ConsultationsService } from './consultations.service.ts';

const tag = 'Consultations';

export function consultationsRoutes(api: ApiRegistry, consultations: ConsultationsService): void {
  api.add(
    { method: 'get', path: '/consultations', tag, summary: 'Consultations you are a member of, newest first', query: PageQuery, response: z.object({ items: z.array(Consultation), nextCursor: z.string().nullable() }) },
    ({ auth, query }) => consultations.list(auth.user._id, query),
  );
  api.add(
    { method: 'post', path: '/consultations', tag, summary: 'Open a consultation (you become its facilitator)', body: CreateConsultationInput, response: Consultation, status: 201 },
    ({ auth, body }) => consultations.create(auth.user._id, body),
  );
  api.add(
    { method: 'get', path: '/consultations/:id', tag, summary: 'One consultation, with your membership', params: IdParams, response: Consultation },
    ({ auth, params }) => consultations.get(auth.user._id, params.id),
  );
  api.add(
    { method: 'patch', path: '/consultations/:id', tag, summary: 'Change title, summary, country or identity hiding (facilitators)', params: IdParams, body: UpdateConsultationInput, response: Consultation },
    ({ auth, params, body }) => consultations.update(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/phase', tag, summary: 'Move the consultation to another phase (facilitators)', params: IdParams, body: ChangePhaseInput, response: Consultation },
    ({ auth, params, body }) => consultations.changePhase(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'get', path: '/consultations/:id/phase/adoption-check', tag, summary: 'Open threads and pending proposals that adopting would close (facilitators)', params: IdParams, response: AdoptionCheck },
    ({ auth, params }) => consultations.adoptionCheck(auth.user._id, params.id),
  );
}
