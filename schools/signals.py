from django.dispatch import Signal

# Sent, with `school_ids`, in the transaction that changes what evaluation reports show of
# these schools: their name or local authority. `programmes` marks the data of every
# programme they take part in as changed (this app cannot import it).
schools_changed = Signal()
