from django.dispatch import Signal

# Sent, with `programme_id`, in the transaction that creates a work group with schools or
# changes a work group's name or schools: each is a scope of the programme's evaluation
# report. `programmes` marks the programme's data as changed (this app cannot import it).
work_group_changed = Signal()
