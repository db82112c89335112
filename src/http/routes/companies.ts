// /api/v1/companies: list, get, and a company's customers.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { getCompany, listCompanies } from '../../store/companies-query.js';
import { listCustomers } from '../../store/customers-query.js';
import { CompanySchema, CustomerSchema, IdParams, PageQuery, errors, pageOf } from '../schemas.js';
import type { App } from '../types.js';

export function companyRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const tags = ['companies'];

  return async (app: App) => {
    app.get(
      '/companies',
      {
        schema: {
          tags,
          summary: 'List companies',
          description: 'By name. `q` matches part of the name or a whole domain.',
          querystring: PageQuery.extend({ q: z.string().max(200).optional().describe('part of the name, or a domain') }),
          response: { 200: pageOf(CompanySchema), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        const { q, limit, cursor } = req.query;
        const page = await listCompanies(db, { q }, { limit, cursor });
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/companies/:id',
      { schema: { tags, summary: 'Get a company', params: IdParams, response: { 200: CompanySchema, ...errors(401, 403, 404) } } },
      async (req) => {
        const company = await getCompany(db, req.params.id);
        if (!company) throw notFound('company', req.params.id);
        return company;
      },
    );

    app.get(
      '/companies/:id/customers',
      {
        schema: {
          tags: [...tags, 'customers'],
          summary: "A company's customers",
          description: 'Newest first.',
          params: IdParams,
          querystring: PageQuery,
          response: { 200: pageOf(CustomerSchema), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => {
        if (!(await getCompany(db, req.params.id))) throw notFound('company', req.params.id);
        const page = await listCustomers(db, { company: req.params.id }, req.query);
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );
  };
}
