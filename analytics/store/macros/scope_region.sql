-- One value per affiliate: the region the shared region filter knows it by, its ICMA region, or 'National' for a
-- national affiliate (which has none), so that 'National' can be chosen like a region.
CREATE OR REPLACE MACRO scope_region(icma_region) AS coalesce(icma_region, 'National')
