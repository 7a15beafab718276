"""Domain cue words: our knowledge of the public-service vocabulary, as features.

A sentence with a rare word ("SKCK", "stockpile") still carries a known cue most
of the time ("polres", "debu"). Each cue adds a feature token (``cue_health``) that
the classifiers weigh like any other word, so the cues inform, never override.
Words are matched after light affix stripping ("diperbaiki" -> "perbaiki").
"""

from __future__ import annotations

from functools import lru_cache

from nlu.slang import NEGATIONS

_CUES: dict[str, str] = {
    "infrastructure": """jalan aspal lubang berlubang jembatan drainase got selokan gorong saluran
        trotoar paving talud jpo ambles amblas rabat cor manhole pothole potholes road roads
        bridge sidewalk culvert dalan jambatan lampu_jalan penerangan_jalan polisi_tidur
        zebra_cross bergelombang tambal ambrol jebol""",
    "health": """puskesmas pustu rsud rumah_sakit igd ugd bpjs_kesehatan kis jkn obat dokter
        perawat nakes bidan pasien rawat_inap posyandu posbindu imunisasi vaksin stunting gizi
        ambulans ambulan apotek klinik faskes fogging dbd demam tbc insulin hemodialisa
        operasi berobat rontgen hospital clinic medicine doctor nurse patient health poli
        melahirkan hamil sakit""",
    "education": """sekolah sakola siswa murid guru kepala_sekolah ppdb zonasi kip pip ijazah
        rapor spp komite seragam lks buku_paket study_tour perpisahan wisuda kelas sd smp sma
        smk paud tk madrasah kuliah kampus beasiswa dapodik nisn dana_bos les kurikulum school
        teacher student students diploma pelajaran ujian""",
    "civil_registration": """ktp ektp kartu_keluarga akta akte dukcapil adminduk kependudukan
        domisili surat_pindah nik blanko perekaman rekam kia ikd id_card birth_certificate
        family_card civil_registry population_office""",
    "environment": """sampah tps tpa limbah banjir kebanjiran rob genangan tumbang pohon karhutla
        kebakaran_lahan kebakaran_hutan asap kabut polusi pencemaran tercemar cemar sungai kali
        walungan tambang galian penebangan hutan mangrove abrasi longsor debu cerobong b3
        bank_sampah garbage trash waste flood flooding floods polluted pollution river smoke
        tree meluap busuk""",
    "utilities": """listrik pln padam pemadaman mati_lampu mati_listrik token meteran kwh
        tiang_listrik kabel_listrik gardu trafo tegangan voltase daya pdam air_bersih ledeng
        pipa air_mati keruh electricity power_outage water_supply tap_water outage""",
    "transportation": """parkir jukir lampu_lalu_lintas lampu_merah traffic_light angkot angkutan
        bus bis transjakarta terminal halte odol truk muatan overload rambu marka ojek ojol krl
        kereta stasiun kapal ferry penyeberangan pelabuhan trayek travel dinas_perhubungan macet
        kemacetan kir jembatan_timbang sopir penumpang damri shuttle perlintasan parking
        traffic driver passenger buses""",
    "public_order": """pkl kaki_lima preman premanisme palak malak uang_keamanan balap_liar
        balapan trek knalpot brong bising berisik kebisingan karaoke miras mabuk mabok mendem
        tuak oplosan judi togel sabung tawuran geng onar prostitusi pengamen gepeng petasan
        narkoba pencurian maling begal satpol ormas horeg ribut thugs gambling racing noise
        loud drunk gangs""",
    "social_assistance": """bansos pkh bpnt blt dtks bantuan_sosial bantuan sembako kks
        bedah_rumah rtlh tepat_sasaran salah_sasaran miskin lansia janda yatim kpm warong
        graduasi dinas_sosial social_aid welfare social_assistance penerima""",
    "corruption": """pungli pungutan_liar suap sogok gratifikasi pelicin uang_rokok uang_damai
        calo oknum korupsi menyelewengkan penyelewengan mark_up jual_beli_jabatan fee bribe
        embezzling kkn nepotisme dana_desa asn pns bolos jam_dinas setoran titipan""",
    "licensing": """izin ijin perizinan oss nib pbg imb siup situ pirt halal amdal reklame
        dpmptsp ptsp kbli slf site_plan andalalin pkkpr permit license licence simbg""",
    "land": """sertifikat sertipikat tanah lahan bpn pertanahan ptsl sengketa patok girik ajb
        mafia ganti_rugi pembebasan hgu agraria warisan roya pengukuran juru_ukur land taneuh
        lemah ppat""",
    "taxation": """pbb sppt njop pajak pajeg samsat stnk bbnkb bphtb retribusi bapenda
        pemutihan opsen tax levy""",
    "employment": """gaji gajih upah umr umk ump thr phk pesangon bpjs_ketenagakerjaan jht jkk
        lembur karyawan buruh pekerja kontrak outsourcing serikat dinas_tenaga_kerja
        kartu_kuning ak1 blk pmi tki tkw majikan perusahaan pecat salary wage severance
        laid_off fired overtime employer workers worker magang bayaran""",
    "other": """paspor imigrasi kua nikah haji umrah kantor_pos paket pupuk elpiji lpg spbu solar
        bbm pertalite sinyal internet taspen pensiun skck sim damkar pemadam makam pemakaman
        kemenag museum perpustakaan wifi website dpt pemilih pengungsi nelayan petani ternak
        passport immigration post_office fertiliser fertilizer parcel""",
    "greet": """halo hallo hai hi hello hey pagi siang sore malam selamat assalamualaikum salam
        permisi punten sampurasun wilujeng sugeng horas shalom swastiastu morning afternoon
        evening start mulai tes test _wave_""",
    "thanks": """terima_kasih makasih thanks thank nuhun suwun matur hatur _pray_ appreciated""",
    "affirm": """iya ya yes yep yup yeah oke ok setuju benar betul lanjut lanjutkan boleh sure
        correct right hooh heeh iyo _ok_ mantap gas gaskeun konfirmasi siap""",
    "deny": """tidak bukan salah no nope nah wrong incorrect keliru _no_ jangan beda""",
    "cancel": """batal batalkan cancel stop berhenti tidak_jadi sido abort quit exit keluar reset
        ulang urungkan tarik never_mind forget_it tidak_usah sudahi akhiri udahan""",
    "help": """bantuan help bantu cara panduan petunjuk tutorial faq menu bingung how gaptek
        ngerti paham fungsi fitur caranya""",
    "check_status": """status cek check lacak track perkembangan progres progress tindak_lanjut
        update _ticket_ kabar diproses ditanggapi direspon riwayat""",
    "report": """lapor laporkan melapor adu mengadu pengaduan aduan keluhan komplain complaint
        report aspirasi usul usulan saran masukan""",
}

_PREFIXES = ("memper", "diper", "meng", "meny", "peng", "peny", "mem", "men", "pem", "pen",
             "per", "ter", "ber", "di", "ke", "me", "se", "pe")  # fmt: skip
_SUFFIXES = ("nya", "kan", "an", "i")
# Money demanded by someone: corruption in any sector (our borderline rule).
_ASK = frozenset({"minta", "meminta", "dimintai", "diminta", "mintain", "memungut", "menarik"})
_MONEY = frozenset({"uang", "duit", "biaya", "bayaran", "setoran", "fee", "jatah", "ribu", "juta"})


def _build() -> tuple[dict[str, frozenset[str]], dict[tuple[str, ...], frozenset[str]]]:
    words: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for label, text in _CUES.items():
        for entry in text.split():
            parts = tuple(entry.split("_")) if not entry.startswith("_") else (entry,)
            target = words.setdefault(parts[0], set()) if len(parts) == 1 else None
            if target is not None:
                target.add(label)
            else:
                phrases.setdefault(parts, set()).add(label)
    return (
        {w: frozenset(s) for w, s in words.items()},
        {p: frozenset(s) for p, s in phrases.items()},
    )


_WORDS, _PHRASES = _build()
_PHRASE_STARTS = frozenset(p[0] for p in _PHRASES)
_PHRASE_LENGTHS = sorted({len(p) for p in _PHRASES}, reverse=True)


def cues(words: list[str]) -> list[str]:
    """Feature tokens (``cue_<label>``) for the cue words in normalised ``words``."""
    labels: set[str] = set()
    for i, word in enumerate(words):
        if i and words[i - 1] in NEGATIONS:
            continue  # "tidak banjir" cues no flooding
        if word in _PHRASE_STARTS:
            for n in _PHRASE_LENGTHS:
                labels |= _PHRASES.get(tuple(words[i : i + n]), frozenset())
        labels |= _word_labels(word)
        if word in _ASK and _MONEY.intersection(words[i + 1 : i + 5]):
            labels.add("corruption")
    return [f"cue_{label}" for label in sorted(labels)]


@lru_cache(maxsize=50_000)
def _word_labels(word: str) -> frozenset[str]:
    labels: set[str] = set()
    for form in _forms(word):
        labels |= _WORDS.get(form, frozenset())
    return frozenset(labels)


def _forms(word: str) -> list[str]:
    """The word and its likely roots after stripping common affixes."""
    forms = [word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            forms.append(word[: -len(suffix)])
            break
    for form in list(forms):
        for prefix in _PREFIXES:
            if form.startswith(prefix) and len(form) - len(prefix) >= 4:
                forms.append(form[len(prefix) :])
                break
    return forms
