from django.dispatch import Signal

# Sent, with `programme_id`, by services.programme_data_changed in the transaction that
# changes what the programme's evaluation report rests on. `evaluation` recomputes the report
# once that transaction commits (it listens here: this app cannot import it).
programme_data_changed = Signal()
