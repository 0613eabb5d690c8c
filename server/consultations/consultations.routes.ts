import { Router } from 'express';
import { CreateConsultationInput, Id, PageQuery } from '../../shared/schemas.ts';
import { parse } from '../http/validate.ts';
import type { ConsultationsService } from './consultations.service.ts';

export function consultationsRoutes(consultations: ConsultationsService): Router {
  const router = Router();

  router.get('/consultations', async (req, res) => {
    res.json(await consultations.list(parse(PageQuery, req.query)));
  });

  router.post('/consultations', async (req, res) => {
    res.status(201).json(await consultations.create(parse(CreateConsultationInput, req.body)));
  });

  router.get('/consultations/:id', async (req, res) => {
    res.json(await consultations.get(parse(Id, req.params.id)));
  });

  return router;
}
