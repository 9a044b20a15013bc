"""What circulation writes for statistics (services/reporting reads it): rollups folded from the event log,
the library directory and holdings snapshots from the catalogue, the background upkeep that keeps both,
privacy (anonymising returned loans) and the simulated demo history."""
