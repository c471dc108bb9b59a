-- What a worker trains with (the deep-learning engine, its version and native flavour, e.g.
-- "PyTorch 2.7.1 (cpu)") and, when it expected GPUs but the engine sees none, the warning it
-- started with: a silent fall-back to the CPU is visible in /api/workers and on the workers page.
ALTER TABLE worker ADD COLUMN engine VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE worker ADD COLUMN warning VARCHAR(1000);
