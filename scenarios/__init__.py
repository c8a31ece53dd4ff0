# Data package: the scenario library ships inside the wheel so `pip install .` works.
