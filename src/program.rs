//! The compiled program: what `rulec compile` writes and `rulec run` loads.
