"""The registers: trygghetsvandringar (walks with their observations and measures), proposals and
meeting records, and the one vocabulary of walk and measure statuses.

- `statuses`: the one vocabulary of walk and measure statuses (keys here, Swedish words in tsk.i18n).
- `walks`: the objects (Walk, Observation, Measure), redaction and the mapping to and from the store's
  rows (tsk.store.registers `Store.save_walk` / `Store.walk`).
- `validation`: `validate`, a walk with its observations and measures against the configuration.
- `protocol`: the walk protocol workbook (write, and read back).
- `summary`: the public Markdown summary of a walk.
- `measures`: the proposals register and meeting records: origins and the checks a form makes.

Domain logic only: no Streamlit, no SQL. This file imports nothing, so tsk.config can take the status
vocabulary from `statuses` without an import circle.
"""
